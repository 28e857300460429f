import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { getDb } from "../../db/client.ts";
import { totpSecrets } from "../../db/schema/index.ts";
import type { Env } from "../../env.ts";
import { seal, unseal } from "../../shared/crypto.ts";
import { ApiError } from "../../shared/errors.ts";
import { sealingKey } from "../app-credentials.ts";

/** RFC 6238 as every authenticator app reads it by default: HMAC-SHA-1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are accepted: 30 s of clock drift and typing time. */
const DRIFT_STEPS = 1;
const ISSUER = "Veza";

/** The same server key as app passwords, under its own derived key (seal hashes the secret it is given). */
const totpKey = (env: Env) => `totp-secret|${sealingKey(env)}`;

function totpOf(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export const stepAt = (now: number) => Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);

export const mfaAlreadyEnabled = () =>
  new ApiError(409, "mfa_already_enabled", "Two-step sign-in is already on. Turn it off first to set up a new app.");
export const mfaNotEnabled = (message = "Two-step sign-in is not on for this account.") =>
  new ApiError(409, "mfa_not_enabled", message);

export async function findTotp(d1: D1Database, userId: string) {
  return getDb(d1).select().from(totpSecrets).where(eq(totpSecrets.userId, userId)).get();
}

/** Whether password sign-in takes a second step for this user. */
export async function isTotpEnabled(d1: D1Database, userId: string): Promise<boolean> {
  const row = await findTotp(d1, userId);
  return !!row?.confirmedAt;
}

/**
 * Starts (or restarts) setting up an authenticator app: a new 160-bit secret, stored encrypted
 * and inactive until a code from the app confirms it.
 */
export async function beginTotpSetup(env: Env, userId: string, label: string, now = Date.now()) {
  const existing = await findTotp(env.DB, userId);
  if (existing?.confirmedAt) throw mfaAlreadyEnabled();
  const secret = new Secret({ size: 20 }).base32;
  const sealed = await seal(totpKey(env), secret);
  await getDb(env.DB)
    .insert(totpSecrets)
    .values({ userId, sealed, createdAt: now })
    .onConflictDoUpdate({
      target: totpSecrets.userId,
      set: { sealed, createdAt: now, lastUsedStep: null },
      // A confirmation racing this request must not be overwritten.
      setWhere: isNull(totpSecrets.confirmedAt),
    });
  return { secret, otpauthUrl: totpOf(secret, label).toString() };
}

/** The time step the code belongs to, if it is a current code for the secret; undefined otherwise. */
async function matchingStep(env: Env, sealed: string, code: string, now: number): Promise<number | undefined> {
  const secret = await unseal(totpKey(env), sealed);
  if (!secret || !/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secret, "").validate({ token: code, timestamp: now, window: DRIFT_STEPS });
  return delta === null ? undefined : stepAt(now) + delta;
}

/**
 * Accepts a code once: the step it belongs to must be later than the last accepted one, and the
 * row is updated only under that condition, so two requests with the same code cannot both pass.
 * `confirming` checks the pending secret instead of the active one.
 */
export async function acceptTotpCode(
  env: Env,
  userId: string,
  code: string,
  { confirming = false, now = Date.now() } = {},
): Promise<boolean> {
  const row = await findTotp(env.DB, userId);
  if (!row || (confirming ? row.confirmedAt !== null : row.confirmedAt === null)) return false;
  const step = await matchingStep(env, row.sealed, code, now);
  if (step === undefined) return false;
  const accepted = await getDb(env.DB)
    .update(totpSecrets)
    .set(confirming ? { lastUsedStep: step, confirmedAt: now } : { lastUsedStep: step })
    .where(
      and(
        eq(totpSecrets.userId, userId),
        eq(totpSecrets.sealed, row.sealed),
        confirming ? isNull(totpSecrets.confirmedAt) : isNotNull(totpSecrets.confirmedAt),
        or(isNull(totpSecrets.lastUsedStep), lt(totpSecrets.lastUsedStep, step)),
      ),
    )
    .returning({ userId: totpSecrets.userId });
  return accepted.length === 1;
}

export async function deleteTotp(d1: D1Database, userId: string): Promise<void> {
  await getDb(d1).delete(totpSecrets).where(eq(totpSecrets.userId, userId));
}
