import { and, desc, eq, type SQL } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { oauthIdentities, users } from "../../db/schema/index.ts";
import { ApiError, conflict } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { UserRow } from "../users.ts";
import { createProviderAccount } from "./new-account.ts";
import { providerName } from "./provider-names.ts";
import type { ConfiguredProvider, ProviderProfile } from "./providers.ts";

type IdentityRow = typeof oauthIdentities.$inferSelect;

/** A linked provider account as its owner sees it in settings. */
export type LinkedIdentity = {
  id: string;
  provider: string;
  providerName: string;
  label: string;
  email: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** False when it is the account's only way to sign in (no password, no other provider). */
  canUnlink: boolean;
};

/** How a provider sign-in found its account. */
export type SignInOutcome = "existing" | "linked_by_email" | "created";

const cannotSignIn = () => new ApiError(401, "unauthenticated", "This account cannot sign in.");
const isUniqueViolation = (error: unknown) => String((error as Error)?.cause ?? error).includes("UNIQUE");

async function findIdentity(d1: D1Database, providerId: string, providerUserId: string) {
  return getDb(d1)
    .select()
    .from(oauthIdentities)
    .where(and(eq(oauthIdentities.provider, providerId), eq(oauthIdentities.providerUserId, providerUserId)))
    .get();
}

async function touchIdentity(d1: D1Database, identity: IdentityRow, profile: ProviderProfile) {
  await getDb(d1)
    .update(oauthIdentities)
    .set({ lastUsedAt: Date.now(), label: profile.login || identity.label, email: profile.email ?? identity.email })
    .where(eq(oauthIdentities.id, identity.id));
}

async function insertIdentity(d1: D1Database, userId: string, providerId: string, profile: ProviderProfile) {
  const now = Date.now();
  await getDb(d1)
    .insert(oauthIdentities)
    .values({
      id: newId(now),
      userId,
      provider: providerId,
      providerUserId: profile.id,
      label: profile.login || profile.email || profile.id,
      email: profile.email,
      createdAt: now,
      lastUsedAt: now,
    });
}

async function userWhere(d1: D1Database, where: SQL): Promise<UserRow | undefined> {
  return getDb(d1).select().from(users).where(where).get();
}

/**
 * The account a provider sign-in opens. An identity already linked signs in to its account. An
 * unknown identity whose email the provider has verified joins the account with that email; an
 * email the provider has not verified never does (anyone can type any address at a provider).
 * Otherwise a new account is made.
 */
export async function accountForSignIn(
  d1: D1Database,
  provider: ConfiguredProvider,
  profile: ProviderProfile,
  /** Runs before a new account is made (the sign-up limits); throwing stops it. */
  beforeCreate: () => Promise<void>,
  retried = false,
): Promise<{ user: UserRow; outcome: SignInOutcome }> {
  const linked = await findIdentity(d1, provider.id, profile.id);
  if (linked) {
    const user = await userWhere(d1, eq(users.id, linked.userId));
    if (!user || user.status !== "active") throw cannotSignIn();
    await touchIdentity(d1, linked, profile);
    return { user, outcome: "existing" };
  }
  const email = profile.email?.toLowerCase() ?? null;
  if (!email) {
    throw new ApiError(
      400,
      "oauth_email_required",
      `${provider.name} did not share an email address. Add one to your ${provider.name} account (or make it visible) and try again.`,
    );
  }
  try {
    const owner = await userWhere(d1, eq(users.email, email));
    if (owner) {
      if (!profile.emailVerified) {
        throw new ApiError(
          409,
          "oauth_email_unverified",
          `An account already uses ${email}, and ${provider.name} has not verified that this address is yours, so it cannot be linked. Verify the address with ${provider.name}, or sign in with your password and link ${provider.name} in Settings.`,
        );
      }
      if (owner.status !== "active") throw cannotSignIn();
      // Anyone can sign up with an address that is not theirs and set a password (or a passkey):
      // joining such an account would hand the real owner's provider sign-ins to whoever made it.
      if (owner.emailVerifiedAt === null) {
        throw new ApiError(
          409,
          "oauth_account_unverified",
          `An account already uses ${email}, but that address was never confirmed on it, so ${provider.name} cannot join it. Sign in to that account with its password and link ${provider.name} in Settings, or confirm the address first.`,
        );
      }
      await insertIdentity(d1, owner.id, provider.id, profile);
      return { user: owner, outcome: "linked_by_email" };
    }
    await beforeCreate();
    return { user: await createProviderAccount(d1, provider.id, profile, email), outcome: "created" };
  } catch (error) {
    // A concurrent sign-in made the identity or the account first: the second look finds it.
    if (!retried && isUniqueViolation(error)) return accountForSignIn(d1, provider, profile, beforeCreate, true);
    throw error;
  }
}

/** Links the provider account to the signed-in user who started the link (no email check: they proved both). */
export async function linkIdentity(
  d1: D1Database,
  provider: ConfiguredProvider,
  profile: ProviderProfile,
  userId: string,
): Promise<LinkedIdentity> {
  const existing = await findIdentity(d1, provider.id, profile.id);
  if (existing && existing.userId !== userId) {
    throw conflict(
      "identity_in_use",
      `This ${provider.name} account already signs in to another Veza account. Unlink it there first.`,
    );
  }
  if (existing) await touchIdentity(d1, existing, profile);
  else {
    try {
      await insertIdentity(d1, userId, provider.id, profile);
    } catch (error) {
      if (isUniqueViolation(error)) return linkIdentity(d1, provider, profile, userId);
      throw error;
    }
  }
  const saved = await findIdentity(d1, provider.id, profile.id);
  const identity = (await listIdentities(d1, userId)).find((item) => item.id === saved?.id);
  if (!identity) throw new ApiError(500, "internal_error", "The link was not saved.");
  return identity;
}

/** The user's linked provider accounts, newest first. */
export async function listIdentities(d1: D1Database, userId: string): Promise<LinkedIdentity[]> {
  const db = getDb(d1);
  const [rows, owner] = await Promise.all([
    db
      .select()
      .from(oauthIdentities)
      .where(eq(oauthIdentities.userId, userId))
      .orderBy(desc(oauthIdentities.createdAt), desc(oauthIdentities.id))
      .all(),
    db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get(),
  ]);
  const hasPassword = Boolean(owner?.passwordHash);
  return rows.map((row) => ({
    id: row.id,
    provider: row.provider,
    providerName: providerName(row.provider),
    label: row.label,
    email: row.email,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
    canUnlink: hasPassword || rows.length > 1,
  }));
}

/**
 * Unlinks one of the user's provider accounts unless it is the last way to sign in (no password,
 * no other provider): one statement, so two unlinks at once cannot remove both.
 */
export async function unlinkIdentity(d1: D1Database, userId: string, identityId: string): Promise<void> {
  const result = await d1
    .prepare(
      `DELETE FROM oauth_identities WHERE id = ?1 AND user_id = ?2 AND (
         (SELECT password_hash FROM users WHERE id = ?2) != ''
         OR EXISTS (SELECT 1 FROM oauth_identities WHERE user_id = ?2 AND id != ?1))`,
    )
    .bind(identityId, userId)
    .run();
  if (result.meta.changes === 1) return;
  const mine = await getDb(d1)
    .select({ id: oauthIdentities.id })
    .from(oauthIdentities)
    .where(and(eq(oauthIdentities.id, identityId), eq(oauthIdentities.userId, userId)))
    .get();
  if (!mine) throw new ApiError(404, "not_found", "Linked account not found.");
  throw conflict(
    "last_sign_in_method",
    "This is the only way to sign in to your account. Set a password (with a password reset) or link another provider first.",
  );
}
