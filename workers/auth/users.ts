import { eq } from "drizzle-orm";
import { type Db, getDb } from "../db/client.ts";
import { type Role, users } from "../db/schema/index.ts";

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
};

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
