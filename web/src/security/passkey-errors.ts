import type { Translate } from "../i18n/i18n.ts";

/**
 * What to tell the user when a passkey ceremony fails. The browser's own errors (the dialog was
 * closed, timed out, or no passkey matched) arrive as DOMException "NotAllowedError" / "AbortError"
 * and mean nothing was changed; the server's errors carry their own sentence.
 */
export function passkeyErrorMessage(error: Error, t: Translate): string {
  const name = (error as { name?: string; cause?: { name?: string } }).cause?.name ?? error.name;
  if (name === "NotAllowedError" || name === "AbortError") return t("security.passkeys.cancelled");
  if (name === "InvalidStateError") return t("security.passkeys.alreadyRegistered");
  return error.message;
}
