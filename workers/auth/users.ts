import { eq } from "drizzle-orm";
import { type Db, getDb } from "../db/client.ts";
import { type Role, users } from "../db/schema/index.ts";
import type { AuthUser } from "./types.ts";

export type UserRow = typeof users.$inferSelect;

/** The signed-in user's own view of their account. */
export type SelfUser = {
  id: string;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  bio: string;
  avatarUrl: string | null;
  createdAt: string;
  /** Until true the account can listen but not upload, comment or chat (403 `email_unverified`). */
  emailVerified: boolean;
};

/** Whether the owner has proved the account's current email address is theirs. */
export function isEmailVerified(row: Pick<UserRow, "emailVerifiedAt">): boolean {
  return row.emailVerifiedAt !== null;
}

/**
 * Records that the account's current address is proved (a verification link, a password reset
 * mailed to it, or a sign-in provider that vouches for it). Keeps the first proof's time.
 */
export async function markEmailVerified(d1: D1Database, userId: string, at = Date.now()): Promise<void> {
  await d1
    .prepare("UPDATE users SET email_verified_at = ?1, updated_at = ?1 WHERE id = ?2 AND email_verified_at IS NULL")
    .bind(at, userId)
    .run();
}

export function avatarUrl(row: Pick<UserRow, "id" | "avatarKey" | "updatedAt">): string | null {
  return row.avatarKey ? `/api/v1/users/${row.id}/avatar?v=${row.updatedAt}` : null;
}

export function toSelfUser(row: UserRow): SelfUser {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    bio: row.bio,
    avatarUrl: avatarUrl(row),
    createdAt: new Date(row.createdAt).toISOString(),
    emailVerified: isEmailVerified(row),
  };
}

/** The request's signed-in user, as the auth middleware and the other sign-in paths set it. */
export function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    displayName: row.displayName,
    emailVerified: isEmailVerified(row),
  };
}

export async function findUserById(d1: D1Database, id: string): Promise<UserRow | undefined> {
  return getDb(d1).select().from(users).where(eq(users.id, id)).get();
}

/** Cross-domain entry: promote a listener to artist (their first upload makes them one). */
export async function ensureArtistRole(d1: D1Database, userId: string): Promise<void> {
  await d1
    .prepare("UPDATE users SET role = 'artist', updated_at = ?1 WHERE id = ?2 AND role = 'listener'")
    .bind(Date.now(), userId)
    .run();
}

/** Cross-domain entry for the avatar upload: records (or clears) the R2 key of the user's avatar. */
export async function setAvatarKey(
  d1: D1Database,
  userId: string,
  avatarKey: string | null,
): Promise<UserRow | undefined> {
  return getDb(d1)
    .update(users)
    .set({ avatarKey, updatedAt: Date.now() })
    .where(eq(users.id, userId))
    .returning()
    .get();
}

/** The signed-in user's own profile fields (display name, bio). */
export async function updateProfile(
  db: Db,
  userId: string,
  changes: { displayName?: string; bio?: string },
): Promise<UserRow | undefined> {
  return db
    .update(users)
    .set({ ...changes, updatedAt: Date.now() })
    .where(eq(users.id, userId))
    .returning()
    .get();
}
