import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { apiKeys, appPasswords, users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { randomToken, seal, sha256Hex, unseal } from "../shared/crypto.ts";
import { ApiError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { UserRow } from "./users.ts";

/**
 * Credentials for outside apps (Subsonic clients): app passwords and API keys. The account
 * password is never accepted there; these are made in settings, shown once, and revoked one by one.
 */

/** More would only be forgotten ones; revoke some first. */
export const MAX_CREDENTIALS_PER_KIND = 50;

export type CredentialSummary = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

type CredentialRow = { id: string; name: string; createdAt: number; lastUsedAt: number | null };

function toSummary(row: CredentialRow): CredentialSummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
  };
}

/** The server key that encrypts stored secrets (app passwords, two-factor secrets); 503 when unset. */
export function sealingKey(env: Env): string {
  if (!env.APP_PASSWORD_KEY) {
    throw new ApiError(
      503,
      "server_misconfigured",
      "Encrypted credentials (app passwords, two-factor) are not configured on this server (APP_PASSWORD_KEY).",
    );
  }
  return env.APP_PASSWORD_KEY;
}

// No look-alike characters (0/o, 1/l/i): people type these into phone apps.
const PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** 20 characters in 4 groups (about 99 bits), easy to type on a phone keyboard. */
function newAppPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const chars = [...bytes].map((b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]).join("");
  return chars.match(/.{5}/g)!.join("-");
}

function assertRoom(count: number, what: string) {
  if (count >= MAX_CREDENTIALS_PER_KIND) {
    throw new ApiError(
      409,
      "too_many_credentials",
      `You already have ${MAX_CREDENTIALS_PER_KIND} ${what}; revoke one first.`,
    );
  }
}

export async function createAppPassword(env: Env, userId: string, name: string) {
  const key = sealingKey(env);
  const db = getDb(env.DB);
  assertRoom(await db.$count(appPasswords, eq(appPasswords.userId, userId)), "app passwords");
  const password = newAppPassword();
  const now = Date.now();
  const row = await db
    .insert(appPasswords)
    .values({ id: newId(now), userId, name, sealed: await seal(key, password), createdAt: now })
    .returning()
    .get();
  return { ...toSummary(row), password };
}

export async function listAppPasswords(env: Env, userId: string): Promise<CredentialSummary[]> {
  const rows = await getDb(env.DB)
    .select()
    .from(appPasswords)
    .where(eq(appPasswords.userId, userId))
    .orderBy(desc(appPasswords.createdAt));
  return rows.map(toSummary);
}

/** Whether something was revoked (false when the id is unknown or someone else's). */
export async function revokeAppPassword(env: Env, userId: string, id: string): Promise<boolean> {
  const gone = await getDb(env.DB)
    .delete(appPasswords)
    .where(and(eq(appPasswords.id, id), eq(appPasswords.userId, userId)))
    .returning({ id: appPasswords.id });
  return gone.length > 0;
}

/**
 * An account whose deletion is scheduled is signed out everywhere, outside apps included: its app
 * passwords and API keys stop working (they come back if the owner cancels by signing in).
 */
const notPendingDeletion = sql`NOT EXISTS (SELECT 1 FROM account_deletions AS d WHERE d.user_id = ${users.id})`;

export type AppLogin = {
  user: UserRow;
  passwords: { id: string; password: string; lastUsedAt: number | null }[];
};

/** The account with that username and its app passwords in plaintext, for checking an app's login (one query). */
export async function appLoginOf(env: Env, username: string): Promise<AppLogin | undefined> {
  const rows = await getDb(env.DB)
    .select({ user: users, id: appPasswords.id, sealed: appPasswords.sealed, lastUsedAt: appPasswords.lastUsedAt })
    .from(users)
    .leftJoin(appPasswords, eq(appPasswords.userId, users.id))
    .where(and(eq(users.username, username.toLowerCase()), notPendingDeletion));
  const first = rows[0];
  if (!first) return undefined;
  const sealed = rows.filter((r) => r.id !== null && r.sealed !== null);
  const key = sealed.length > 0 ? sealingKey(env) : "";
  const passwords = await Promise.all(
    sealed.map(async (r) => ({ id: r.id!, password: await unseal(key, r.sealed!), lastUsedAt: r.lastUsedAt })),
  );
  return {
    user: first.user,
    passwords: passwords.filter((p): p is AppLogin["passwords"][number] => p.password !== undefined),
  };
}

export async function markAppPasswordUsed(env: Env, id: string): Promise<void> {
  await getDb(env.DB).update(appPasswords).set({ lastUsedAt: Date.now() }).where(eq(appPasswords.id, id));
}

export async function createApiKey(env: Env, userId: string, name: string) {
  const db = getDb(env.DB);
  assertRoom(await db.$count(apiKeys, eq(apiKeys.userId, userId)), "API keys");
  const key = `vz_${randomToken(32)}`;
  const now = Date.now();
  const row = await db
    .insert(apiKeys)
    .values({ id: newId(now), userId, name, keyHash: await sha256Hex(key), createdAt: now })
    .returning()
    .get();
  return { ...toSummary(row), key };
}

export async function listApiKeys(env: Env, userId: string): Promise<CredentialSummary[]> {
  const rows = await getDb(env.DB)
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(toSummary);
}

export async function revokeApiKey(env: Env, userId: string, id: string): Promise<boolean> {
  const gone = await getDb(env.DB)
    .delete(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId)))
    .returning({ id: apiKeys.id });
  return gone.length > 0;
}

/** The account an API key belongs to (any status: the caller decides about disabled accounts). */
export async function findUserByApiKey(
  env: Env,
  key: string,
): Promise<{ user: UserRow; keyId: string; lastUsedAt: number | null } | undefined> {
  const found = await getDb(env.DB)
    .select({ user: users, keyId: apiKeys.id, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), notPendingDeletion))
    .get();
  return found ?? undefined;
}

export async function markApiKeyUsed(env: Env, id: string): Promise<void> {
  await getDb(env.DB).update(apiKeys).set({ lastUsedAt: Date.now() }).where(eq(apiKeys.id, id));
}
