import {
  anonymiseCommentsOf,
  anonymisePlaysOf,
  eraseAlbumsOf,
  eraseFollowsOf,
  eraseLikesOf,
  erasePlaylistsOf,
  eraseTracksOf,
} from "../../catalog/account-erasure.ts";
import { eraseChatOf } from "../../chat/account-erasure.ts";
import { getDb } from "../../db/client.ts";
import type { Env } from "../../env.ts";
import { avatarKey } from "../../media/keys.ts";
import { ensureDeletedUser } from "../deleted-user.ts";

/**
 * Erases an account for good, in steps that are each safe to repeat: a run that fails halfway is
 * simply run again by the next deletion task and carries on. D1 has no transactions across these
 * steps, so each one is either a single atomic batch or removes "whatever is left".
 *
 * What goes: sessions and outside-app credentials, the tracks (R2 media first: originals,
 * renditions, covers), albums, playlists, likes and follows (counters recounted), the avatar, and
 * finally the user row, whose cascades take everything else keyed on the user. What stays,
 * anonymised: comments and chat messages (written by the "deleted user"), listens (counted, but no
 * longer tied to anyone). Rooms the user owned pass to someone else in them, or go if nobody is.
 * The username and email are free again once the row is gone, not before.
 */
export async function eraseAccount(env: Env, userId: string): Promise<void> {
  const d1 = env.DB;
  const db = getDb(d1);
  await d1.batch([
    ...ensureDeletedUser(d1),
    d1.prepare("UPDATE users SET token_version = token_version + 1 WHERE id = ?1").bind(userId),
    d1
      .prepare("UPDATE refresh_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL")
      .bind(userId, Date.now()),
    d1.prepare("DELETE FROM app_passwords WHERE user_id = ?1").bind(userId),
    d1.prepare("DELETE FROM api_keys WHERE user_id = ?1").bind(userId),
  ]);
  // Chat before the user row: its cascades would otherwise take the rooms the user owned.
  await eraseChatOf(env, userId);
  await eraseTracksOf(env, db, userId);
  await eraseAlbumsOf(env, db, userId);
  await erasePlaylistsOf(db, userId);
  await eraseLikesOf(db, userId);
  await eraseFollowsOf(db, userId);
  await anonymiseCommentsOf(db, userId);
  await anonymisePlaysOf(db, userId);
  await env.MEDIA.delete(avatarKey(userId));
  // Last: with it go the user's remaining rows (stats, ratings, queues, memberships, this deletion's own row).
  await d1.prepare("DELETE FROM users WHERE id = ?1").bind(userId).run();
}
