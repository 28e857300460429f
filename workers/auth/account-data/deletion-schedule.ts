import type { Env } from "../../env.ts";
import { ApiError, conflict } from "../../shared/errors.ts";
import { revokeUserSessions } from "../sessions.ts";

/** How long a deletion waits, during which signing in cancels it. */
export const DELETION_GRACE_MS = 7 * 24 * 3600 * 1000;

/** The last active admin cannot leave (as they cannot be demoted): someone must be able to run the server. */
export async function assertNotLastAdmin(d1: D1Database, userId: string): Promise<void> {
  const row = await d1
    .prepare(
      `SELECT (SELECT role FROM users WHERE id = ?1) AS role,
              (SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active' AND id != ?1) AS others`,
    )
    .bind(userId)
    .first<{ role: string | null; others: number }>();
  if (row?.role === "admin" && row.others === 0) {
    throw conflict("last_admin", "You are the last admin: make someone else an admin before deleting your account.");
  }
}

/**
 * Schedules the account's deletion and signs it out everywhere: the token version bump voids
 * every access token at once and the refresh tokens are revoked. Asking again (from a session
 * opened after an earlier request was cancelled) starts a new grace period.
 */
export async function scheduleDeletion(
  env: Env,
  userId: string,
  now = Date.now(),
): Promise<{ dueAt: number; user: { id: string; email: string; displayName: string } | null }> {
  const dueAt = now + DELETION_GRACE_MS;
  const [, bumped] = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO account_deletions (user_id, requested_at, due_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (user_id) DO UPDATE SET requested_at = excluded.requested_at, due_at = excluded.due_at
       WHERE account_deletions.started_at IS NULL`,
    ).bind(userId, now, dueAt),
    env.DB.prepare(
      `UPDATE users SET token_version = token_version + 1, updated_at = ?2 WHERE id = ?1
       RETURNING id, email, display_name AS displayName`,
    ).bind(userId, now),
  ]);
  await revokeUserSessions(env.DB, userId);
  const user = (bumped?.results[0] as { id: string; email: string; displayName: string } | undefined) ?? null;
  return { dueAt, user };
}

export type DeletionOnSignIn = { cancelled: false } | { cancelled: true; wasDueAt: number };

/**
 * Called on every successful sign-in: a deletion still in its grace period is cancelled. Once the
 * grace period is over the account is being erased, and signing in is refused like a wrong
 * password (a half-erased account must not come back).
 */
export async function cancelDeletionOnSignIn(
  d1: D1Database,
  userId: string,
  now = Date.now(),
): Promise<DeletionOnSignIn> {
  const cancelled = await d1
    .prepare(
      "DELETE FROM account_deletions WHERE user_id = ?1 AND started_at IS NULL AND due_at > ?2 RETURNING due_at AS dueAt",
    )
    .bind(userId, now)
    .first<{ dueAt: number }>();
  if (cancelled) return { cancelled: true, wasDueAt: cancelled.dueAt };
  const pending = await d1.prepare("SELECT 1 AS found FROM account_deletions WHERE user_id = ?1").bind(userId).first();
  if (pending) throw new ApiError(401, "invalid_credentials", "Incorrect login or password.");
  return { cancelled: false };
}

/** Deletions whose grace period is over, oldest first (started ones that failed included: they resume). */
export async function dueDeletions(d1: D1Database, now: number, limit: number): Promise<string[]> {
  const { results } = await d1
    .prepare("SELECT user_id AS userId FROM account_deletions WHERE due_at <= ?1 ORDER BY due_at LIMIT ?2")
    .bind(now, limit)
    .all<{ userId: string }>();
  return results.map((r) => r.userId);
}

export async function markDeletionStarted(d1: D1Database, userId: string, now: number): Promise<void> {
  await d1
    .prepare(
      "UPDATE account_deletions SET started_at = COALESCE(started_at, ?2), attempts = attempts + 1 WHERE user_id = ?1",
    )
    .bind(userId, now)
    .run();
}

export async function recordDeletionFailure(d1: D1Database, userId: string, message: string): Promise<void> {
  await d1
    .prepare("UPDATE account_deletions SET last_error = ?2 WHERE user_id = ?1")
    .bind(userId, message.slice(0, 500))
    .run();
}
