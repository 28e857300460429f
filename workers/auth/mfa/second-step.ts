import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Env } from "../../env.ts";
import { ApiError } from "../../shared/errors.ts";
import { beginGuardedAttempt } from "../rate-limit.ts";
import { findUserById, type UserRow } from "../users.ts";
import {
  consumeChallenge,
  invalidChallenge,
  issueChallenge,
  openChallenge,
  recordChallengeFailure,
} from "./challenges.ts";
import { authenticationOptions, listPasskeys, passkeyRejected, verifyPasskeyAssertion } from "./passkeys.ts";
import { spendRecoveryCode } from "./recovery-codes.ts";
import { acceptTotpCode, isTotpEnabled } from "./totp.ts";

export type MfaRequired = {
  mfaRequired: true;
  challenge: string;
  methods: ("totp" | "recovery_code" | "passkey")[];
  passkeyOptions?: Record<string, unknown>;
};

const invalidCode = () => new ApiError(401, "invalid_mfa_code", "That code is not correct, or it was already used.");

/**
 * The second step a password sign-in needs, or undefined when the account has no authenticator
 * app set up. The account's passkeys can answer it too.
 */
export async function secondStepFor(env: Env, row: UserRow): Promise<MfaRequired | undefined> {
  if (!(await isTotpEnabled(env.DB, row.id))) return undefined;
  const keys = await listPasskeys(env.DB, row.id);
  const options = keys.length > 0 ? await authenticationOptions(env, keys, "preferred") : undefined;
  const challenge = await issueChallenge(env.DB, "mfa_login", row.id, options?.challenge ?? null);
  return {
    mfaRequired: true,
    challenge,
    methods: options ? ["totp", "recovery_code", "passkey"] : ["totp", "recovery_code"],
    ...(options ? { passkeyOptions: options as unknown as Record<string, unknown> } : {}),
  };
}

/**
 * Completes a two-step sign-in: an app code (each accepted once), a recovery code (each usable
 * once) or a passkey. Wrong answers count against the account's login backoff and void the
 * challenge after a few; the right one uses the challenge up. Returns the signed-in account.
 */
export async function completeSecondStep(
  env: Env,
  input: { challenge: string; code?: string; passkey?: AuthenticationResponseJSON },
): Promise<{ user: UserRow; factor: "totp" | "recovery_code" | "passkey" }> {
  const open = await openChallenge(env.DB, "mfa_login", input.challenge);
  if (!open?.userId) throw invalidChallenge();
  const guard = await beginGuardedAttempt(env, "login:account", open.userId);
  const row = await findUserById(env.DB, open.userId);
  if (!row || row.status !== "active") throw invalidChallenge();

  if (input.passkey) {
    if (!open.webauthnChallenge) throw passkeyRejected("This account has no passkey to sign in with.");
    try {
      await verifyPasskeyAssertion(env, open.webauthnChallenge, input.passkey, {
        userId: row.id,
        requireUserVerification: false,
      });
    } catch (error) {
      await recordChallengeFailure(env.DB, open.id);
      throw error;
    }
  }
  const factor = input.passkey ? "passkey" : await acceptCode(env, row.id, input.code ?? "");
  if (!factor) {
    await recordChallengeFailure(env.DB, open.id);
    throw invalidCode();
  }

  if (!(await consumeChallenge(env.DB, "mfa_login", input.challenge))) throw invalidChallenge();
  await guard.succeeded();
  return { user: row, factor };
}

/** Which kind of code signed in, or undefined for a wrong or used one. */
async function acceptCode(env: Env, userId: string, code: string): Promise<"totp" | "recovery_code" | undefined> {
  const digits = code.replace(/\s/g, "");
  if (/^\d{6}$/.test(digits)) return (await acceptTotpCode(env, userId, digits)) ? "totp" : undefined;
  return (await spendRecoveryCode(env.DB, userId, code)) ? "recovery_code" : undefined;
}
