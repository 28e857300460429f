import { useState } from "react";
import type { SelfUser } from "../../../workers/api-types.ts";
import { useT } from "../i18n/i18n.ts";
import { passkeyErrorMessage } from "./passkey-errors.ts";
import { passkeysSupported, signInWithPasskey } from "./security-api.ts";

/** "Sign in with a passkey": no username or password; the browser offers this site's passkeys. */
export function PasskeySignIn({
  onSignedIn,
}: {
  onSignedIn: (signed: { user: SelfUser; accessToken: string }) => void;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!passkeysSupported()) return null;

  async function start() {
    setBusy(true);
    setError(null);
    try {
      onSignedIn((await signInWithPasskey()) as { user: SelfUser; accessToken: string });
    } catch (caught) {
      setError(passkeyErrorMessage(caught as Error, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <button type="button" className="btn" disabled={busy} onClick={start}>
        {busy ? t("auth.passkey.waiting") : t("auth.passkey.signIn")}
      </button>
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
