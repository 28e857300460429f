import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/browser";
import { api, unwrap } from "../api.ts";

/** The API calls of two-step sign-in and passkeys, typed by the Worker's routes. */

export type MfaChallenge = {
  mfaRequired: true;
  challenge: string;
  methods: ("totp" | "recovery_code" | "passkey")[];
  passkeyOptions?: Record<string, unknown>;
};

export const securityKeys = {
  status: ["me", "mfa"] as const,
  passkeys: ["me", "passkeys"] as const,
};

export const fetchMfaStatus = () => unwrap(api.me.mfa.$get());
export const startTotpSetup = () => unwrap(api.me.mfa.totp.$post());
export const confirmTotp = (code: string) => unwrap(api.me.mfa.totp.confirm.$post({ json: { code } }));
export const disableTotp = (password: string) => unwrap(api.me.mfa.totp.$delete({ json: { password } }));
export const regenerateRecoveryCodes = (password: string) =>
  unwrap(api.me.mfa["recovery-codes"].$post({ json: { password } }));

export const fetchPasskeys = async () => (await unwrap(api.me.passkeys.$get())).items;
export const removePasskey = (id: string, password: string) =>
  unwrap(api.me.passkeys[":id"].$delete({ param: { id }, json: { password } }));

/** Adds a passkey: the password, then the browser's own dialog (Touch ID, Windows Hello, a phone, a key). */
export async function addPasskey(name: string, password: string) {
  const { challenge, options } = await unwrap(api.me.passkeys.options.$post({ json: { password } }));
  const { startRegistration } = await import("@simplewebauthn/browser");
  const response = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return unwrap(api.me.passkeys.$post({ json: { challenge, name, response } }));
}

/** Signs in with a passkey alone: the browser offers the passkeys it has for this site. */
export async function signInWithPasskey() {
  const { challenge, options } = await unwrap(api.auth.passkey.options.$post());
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const response = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  return unwrap(api.auth.passkey.login.$post({ json: { challenge, response } }));
}

/** The second step of a sign-in, with a code (app or recovery) or with one of the account's passkeys. */
export async function answerSecondStep(mfa: MfaChallenge, answer: { code: string } | { passkey: true }) {
  if ("code" in answer)
    return unwrap(api.auth.login.mfa.$post({ json: { challenge: mfa.challenge, code: answer.code } }));
  const { startAuthentication } = await import("@simplewebauthn/browser");
  const passkey = await startAuthentication({
    optionsJSON: mfa.passkeyOptions as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  return unwrap(api.auth.login.mfa.$post({ json: { challenge: mfa.challenge, passkey } }));
}

/** Whether this browser can use passkeys at all (hides the buttons where it cannot). */
export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";
}
