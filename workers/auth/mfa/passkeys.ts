import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { passkeys } from "../../db/schema/index.ts";
import type { Env } from "../../env.ts";
import { base64url, fromBase64url } from "../../shared/crypto.ts";
import { ApiError } from "../../shared/errors.ts";
import type { UserRow } from "../users.ts";
import { relyingParty } from "./relying-party.ts";

/** Enough for a phone, a laptop, a spare key or two; more are forgotten ones. */
export const MAX_PASSKEYS = 20;

export type PasskeyRow = typeof passkeys.$inferSelect;
export type PasskeySummary = {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  synced: boolean;
};

export const passkeyRejected = (message = "The passkey could not be verified.") =>
  new ApiError(401, "passkey_rejected", message);

export function toPasskeySummary(row: PasskeyRow): PasskeySummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
    synced: row.deviceType === "multiDevice",
  };
}

const transportsOf = (row: PasskeyRow) => JSON.parse(row.transports) as AuthenticatorTransport[];

export async function listPasskeys(d1: D1Database, userId: string): Promise<PasskeyRow[]> {
  return getDb(d1).select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(desc(passkeys.createdAt));
}

export async function deletePasskey(d1: D1Database, userId: string, id: string): Promise<boolean> {
  const gone = await getDb(d1)
    .delete(passkeys)
    .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  return gone.length > 0;
}

/** Options for the browser's `navigator.credentials.create()`: a discoverable passkey for this account. */
export async function registrationOptions(
  env: Env,
  user: Pick<UserRow, "id" | "username" | "displayName">,
  existing: PasskeyRow[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  if (existing.length >= MAX_PASSKEYS) {
    throw new ApiError(409, "too_many_credentials", `You already have ${MAX_PASSKEYS} passkeys; remove one first.`);
  }
  const rp = relyingParty(env);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userDisplayName: user.displayName,
    userID: Uint8Array.from(new TextEncoder().encode(user.id)),
    attestationType: "none",
    excludeCredentials: existing.map((row) => ({ id: row.id, transports: transportsOf(row) })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
}

/** Verifies a new passkey against the challenge this server issued, and stores it. */
export async function registerPasskey(
  env: Env,
  userId: string,
  name: string,
  expectedChallenge: string,
  response: RegistrationResponseJSON,
  now = Date.now(),
): Promise<PasskeyRow> {
  const rp = relyingParty(env);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw new ApiError(400, "passkey_rejected", `The passkey could not be registered: ${(error as Error).message}`);
  }
  if (!verified.verified) throw new ApiError(400, "passkey_rejected", "The passkey could not be registered.");
  const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  try {
    return await getDb(env.DB)
      .insert(passkeys)
      .values({
        id: credential.id,
        userId,
        name,
        publicKey: base64url(credential.publicKey),
        counter: credential.counter,
        transports: JSON.stringify(credential.transports ?? []),
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        createdAt: now,
      })
      .returning()
      .get();
  } catch (error) {
    if (String((error as Error).cause ?? error).includes("UNIQUE")) {
      throw new ApiError(409, "passkey_rejected", "This passkey is already registered.");
    }
    throw error;
  }
}

/** Options for `navigator.credentials.get()`; with no credentials listed the browser offers any passkey for this site. */
export async function authenticationOptions(
  env: Env,
  allowed: PasskeyRow[] | undefined,
  userVerification: "required" | "preferred",
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: relyingParty(env).id,
    allowCredentials: allowed?.map((row) => ({ id: row.id, transports: transportsOf(row) })),
    userVerification,
  });
}

/**
 * Checks a passkey's signature over the challenge this server issued, for the passkey the
 * response names (limited to `userId`'s when given), and records its use. Returns its row.
 */
export async function verifyPasskeyAssertion(
  env: Env,
  expectedChallenge: string,
  response: AuthenticationResponseJSON,
  { userId, requireUserVerification }: { userId?: string; requireUserVerification: boolean },
  now = Date.now(),
): Promise<PasskeyRow> {
  const db = getDb(env.DB);
  const conditions = [eq(passkeys.id, response.id)];
  if (userId) conditions.push(eq(passkeys.userId, userId));
  const row = await db
    .select()
    .from(passkeys)
    .where(and(...conditions))
    .get();
  if (!row) throw passkeyRejected("This passkey is not registered with this account.");
  const rp = relyingParty(env);
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      credential: {
        id: row.id,
        publicKey: Uint8Array.from(fromBase64url(row.publicKey)),
        counter: row.counter,
        transports: transportsOf(row),
      },
      requireUserVerification,
    });
  } catch {
    throw passkeyRejected();
  }
  if (!verified.verified) throw passkeyRejected();
  await db
    .update(passkeys)
    .set({ counter: verified.authenticationInfo.newCounter, lastUsedAt: now })
    .where(eq(passkeys.id, row.id));
  return row;
}
