import { useEffect, useRef, useState } from "react";
import type { SelfUser } from "../../../workers/api-types.ts";
import { api, errorMessage } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { navigate } from "../lib/router.ts";
import { SecondStep } from "../security/SecondStep.tsx";
import type { MfaChallenge } from "../security/security-api.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import { pathAfterSignIn, type SignInExtras } from "./after-sign-in.ts";
import { providerName } from "./sign-in-providers.ts";

type CallbackResult =
  | ({ result: "signed_in"; user: SelfUser; accessToken: string } & SignInExtras)
  | { result: "linked"; identity: { providerName: string } }
  | ({ result: "mfa_required" } & MfaChallenge);

/**
 * Where a provider sends the browser back (`/oauth/callback/:provider?code=&state=`): hands code and
 * state to the API once (the state is single use), then signs in like the login form, or returns
 * to the linked accounts after a link.
 */
export function OAuthCallbackPage({ provider }: { provider: string }) {
  const t = useT();
  const signedIn = useSession((s) => s.signedIn);
  const sent = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [mfa, setMfa] = useState<MfaChallenge | null>(null);
  const name = providerName(provider);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const params = new URLSearchParams(window.location.search);
    const code = params.get("code");
    const state = params.get("state");
    if (params.get("error")) return setError(t("oauth.denied", { provider: name }));
    if (!code || !state) return setError(t("oauth.missing", { provider: name }));
    (async () => {
      try {
        const response = await api.auth.oauth[":provider"].callback.$post({
          param: { provider },
          json: { code, state },
        });
        if (!response.ok) return setError(await errorMessage(response));
        const body = (await response.json()) as CallbackResult;
        if (body.result === "mfa_required") {
          setMfa(body);
        } else if (body.result === "signed_in") {
          signedIn(body.user, body.accessToken);
          navigate(pathAfterSignIn(body), { replace: true });
        } else {
          navigate(`/settings/linked-accounts?linked=${encodeURIComponent(provider)}`, { replace: true });
        }
      } catch {
        setError(t("app.networkError"));
      }
    })();
  }, [provider, name, signedIn, t]);

  return (
    <section className="mx-auto flex max-w-sm flex-col gap-4 py-10">
      <PageTitle>{t("oauth.callbackTitle", { provider: name })}</PageTitle>
      {mfa ? (
        <SecondStep
          mfa={mfa}
          onSignedIn={(body) => {
            signedIn(body.user, body.accessToken);
            navigate(pathAfterSignIn(body), { replace: true });
          }}
          onStartOver={() => navigate("/login", { replace: true })}
        />
      ) : error ? (
        <>
          <p role="alert" className="text-danger">
            {error}
          </p>
          <p>
            <Link href="/login">{t("oauth.backToSignIn")}</Link>
          </p>
        </>
      ) : (
        <p role="status" aria-live="polite">
          {t("oauth.finishing", { provider: name })}
        </p>
      )}
    </section>
  );
}
