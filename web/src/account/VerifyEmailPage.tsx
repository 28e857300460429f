import { useEffect, useRef, useState } from "react";
import { ApiError, api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useLocation } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import { ResendVerificationButton } from "./ResendVerificationButton.tsx";
import { reloadSessionUser } from "./session-user.ts";

type State = { kind: "working" } | { kind: "done" } | { kind: "failed"; message: string; code: string };

/** Opens a mailed link (`/verify-email?token=`): a new account's address, or a new address for an account. */
export function VerifyEmailPage() {
  const t = useT();
  const token = useLocation().search.get("token") ?? "";
  const user = useSession((s) => s.user);
  const [state, setState] = useState<State>({ kind: "working" });
  const sent = useRef<string | null>(null);

  useEffect(() => {
    // A link works once: never send the same token twice (React runs effects twice in development).
    if (sent.current === token) return;
    sent.current = token;
    if (!token) {
      setState({ kind: "failed", message: t("email.verify.noToken"), code: "invalid_token" });
      return;
    }
    unwrap(api.auth["verify-email"].$post({ json: { token } }))
      .then(async () => {
        setState({ kind: "done" });
        await reloadSessionUser().catch(() => undefined);
      })
      .catch((error: unknown) => {
        const failure = error instanceof ApiError ? error : new ApiError(t("app.networkError"), 0, "network");
        setState({ kind: "failed", message: failure.message, code: failure.code });
      });
  }, [token, t]);

  return (
    <section className="mx-auto flex max-w-md flex-col gap-4 py-10" aria-busy={state.kind === "working"}>
      <PageTitle>{t("email.verify.title")}</PageTitle>
      <div role="status">
        {state.kind === "working" && <p>{t("email.verify.working")}</p>}
        {state.kind === "done" && <p>{t("email.verify.done")}</p>}
      </div>
      {state.kind === "done" && (
        <p>
          <Link href="/">{t("email.verify.continue")}</Link>
        </p>
      )}
      {state.kind === "failed" && (
        <>
          <p role="alert" className="text-danger">
            {state.message}
          </p>
          {user && !user.emailVerified && state.code === "invalid_token" && (
            <ResendVerificationButton email={user.email} />
          )}
          {!user && (
            <p>
              <Link href="/login">{t("nav.signIn")}</Link> {t("email.verify.signInToResend")}
            </p>
          )}
        </>
      )}
    </section>
  );
}
