import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { SelfUser } from "../../../workers/api-types.ts";
import type { SignInExtras } from "../account/after-sign-in.ts";
import { useT } from "../i18n/i18n.ts";
import { passkeyErrorMessage } from "./passkey-errors.ts";
import { answerSecondStep, type MfaChallenge, passkeysSupported } from "./security-api.ts";

type Signed = { user: SelfUser; accessToken: string } & SignInExtras;

/**
 * The second step of a sign-in: a code from the authenticator app, a recovery code, or one of
 * the account's passkeys. A wrong code can be retried; an expired step goes back to the password.
 */
export function SecondStep({
  mfa,
  onSignedIn,
  onStartOver,
}: {
  mfa: MfaChallenge;
  onSignedIn: (signed: Signed) => void;
  onStartOver: () => void;
}) {
  const t = useT();
  const ids = { heading: useId(), code: useId(), intro: useId(), error: useId() };
  const [recovery, setRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves to the new field each time the kind of code switches
  useEffect(() => field.current?.focus(), [recovery]);

  async function answer(input: { code: string } | { passkey: true }) {
    setBusy(true);
    setError(null);
    try {
      onSignedIn((await answerSecondStep(mfa, input)) as Signed);
    } catch (caught) {
      const failure = caught as Error & { code?: string };
      if (failure.code === "invalid_challenge") setExpired(true);
      setError("passkey" in input ? passkeyErrorMessage(failure, t) : failure.message);
      if (field.current) {
        field.current.value = "";
        field.current.focus();
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    if (code) void answer({ code });
  }

  const canUsePasskey = mfa.methods.includes("passkey") && !!mfa.passkeyOptions && passkeysSupported();
  return (
    <section aria-labelledby={ids.heading} className="flex flex-col gap-4">
      <h2 id={ids.heading} className="text-xl font-semibold">
        {t("auth.mfa.title")}
      </h2>
      {expired ? (
        <>
          <p role="alert" className="text-danger">
            {error}
          </p>
          <button type="button" className="btn-primary" onClick={onStartOver}>
            {t("auth.mfa.startOver")}
          </button>
        </>
      ) : (
        <>
          <form
            onSubmit={submit}
            className="flex flex-col gap-4"
            aria-describedby={error ? `${ids.intro} ${ids.error}` : ids.intro}
          >
            <p id={ids.intro}>{recovery ? t("auth.mfa.recoveryIntro") : t("auth.mfa.intro")}</p>
            <label htmlFor={ids.code} className="flex flex-col gap-1">
              {recovery ? t("auth.mfa.recoveryCode") : t("auth.mfa.code")}
              <input
                key={recovery ? "recovery" : "app"}
                ref={field}
                id={ids.code}
                name="code"
                required
                autoComplete="one-time-code"
                inputMode={recovery ? "text" : "numeric"}
                pattern={recovery ? undefined : "[0-9 ]{6,7}"}
                maxLength={recovery ? 40 : 7}
                spellCheck={false}
                autoCapitalize="none"
                className="input font-mono"
              />
            </label>
            {error && (
              <p id={ids.error} role="alert" className="text-danger">
                {error}
              </p>
            )}
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? t("auth.wait") : t("auth.mfa.verify")}
            </button>
          </form>
          <div className="flex flex-wrap gap-3">
            <button type="button" className="btn" onClick={() => setRecovery(!recovery)}>
              {recovery ? t("auth.mfa.useApp") : t("auth.mfa.useRecovery")}
            </button>
            {canUsePasskey && (
              <button type="button" className="btn" disabled={busy} onClick={() => answer({ passkey: true })}>
                {t("auth.mfa.usePasskey")}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
