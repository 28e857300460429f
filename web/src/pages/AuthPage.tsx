import { type FormEvent, useId, useState } from "react";
import type { SelfUser } from "../../../workers/api-types.ts";
import { pathAfterSignIn, type SignInExtras } from "../account/after-sign-in.ts";
import { ProviderButtons } from "../account/ProviderButtons.tsx";
import { api, errorMessage } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { navigate } from "../lib/router.ts";
import { PasskeySignIn } from "../security/PasskeySignIn.tsx";
import { SecondStep } from "../security/SecondStep.tsx";
import type { MfaChallenge } from "../security/security-api.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

type Mode = "login" | "register";
type Signed = { user: SelfUser; accessToken: string } & SignInExtras;

export function AuthPage({ mode }: { mode: Mode }) {
  const t = useT();
  const signedIn = useSession((s) => s.signedIn);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mfa, setMfa] = useState<MfaChallenge | null>(null);
  const ids = { login: useId(), email: useId(), username: useId(), password: useId(), error: useId() };

  function finish(body: Signed) {
    signedIn(body.user, body.accessToken);
    navigate(pathAfterSignIn(body));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? "");
    setBusy(true);
    setError(null);
    try {
      const response =
        mode === "login"
          ? await api.auth.login.$post({ json: { login: field("login"), password: field("password") } })
          : await api.auth.register.$post({
              json: { email: field("email"), username: field("username"), password: field("password") },
            });
      if (!response.ok) {
        setError(await errorMessage(response));
        return;
      }
      const body = (await response.json()) as Signed | MfaChallenge;
      if ("mfaRequired" in body) setMfa(body);
      else finish(body);
    } catch {
      setError(t("app.networkError"));
    } finally {
      setBusy(false);
    }
  }

  const title = mode === "login" ? t("auth.signInTitle") : t("auth.registerTitle");
  if (mfa) {
    return (
      <section className="mx-auto flex max-w-sm flex-col gap-6 py-10">
        <PageTitle>{title}</PageTitle>
        <SecondStep mfa={mfa} onSignedIn={finish} onStartOver={() => setMfa(null)} />
      </section>
    );
  }
  return (
    <section className="mx-auto flex max-w-sm flex-col gap-6 py-10">
      <PageTitle>{title}</PageTitle>
      <form onSubmit={submit} className="flex flex-col gap-4" aria-describedby={error ? ids.error : undefined}>
        {mode === "login" ? (
          <label htmlFor={ids.login} className="flex flex-col gap-1">
            {t("auth.login")}
            <input id={ids.login} name="login" autoComplete="username" required className="input" />
          </label>
        ) : (
          <>
            <label htmlFor={ids.email} className="flex flex-col gap-1">
              {t("auth.email")}
              <input id={ids.email} name="email" type="email" autoComplete="email" required className="input" />
            </label>
            <label htmlFor={ids.username} className="flex flex-col gap-1">
              {t("auth.username")}
              <input
                id={ids.username}
                name="username"
                autoComplete="username"
                required
                minLength={3}
                maxLength={30}
                pattern="[A-Za-z0-9_]+"
                className="input"
              />
            </label>
          </>
        )}
        <label htmlFor={ids.password} className="flex flex-col gap-1">
          {t("auth.password")}
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete={mode === "login" ? "current-password" : "new-password"}
            required
            minLength={mode === "register" ? 8 : 1}
            className="input"
          />
        </label>
        {error && (
          <p id={ids.error} role="alert" className="text-danger">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} className="btn-primary">
          {busy ? t("auth.wait") : title}
        </button>
      </form>
      <ProviderButtons />
      {mode === "login" && <PasskeySignIn onSignedIn={finish} />}
      <p className="text-sm text-muted">
        {mode === "login" ? (
          <>
            <Link href="/forgot-password">{t("auth.forgot")}</Link>
            <br />
            {t("auth.newHere")} <Link href="/register">{t("auth.createOne")}</Link>
          </>
        ) : (
          <>
            {t("auth.haveAccount")} <Link href="/login">{t("nav.signIn")}</Link>
          </>
        )}
      </p>
    </section>
  );
}
