import { DELETED_USER_ID } from "../auth/deleted-user.ts";
import type { Db } from "../db/client.ts";
import type { Env } from "../env.ts";
import { deleteAlbumMedia } from "../media/storage.ts";
import { eraseTrack } from "./track-delete.ts";

// Account deletion, the catalog's part. Each function removes (or anonymises) whatever is left of
// the user's catalog data, in bounded atomic batches, so the deletion task can run it again after a
// failure and pick up where it stopped. Counters are recounted for exactly the rows each batch
// touches (counting only accounts that are not disabled, like disabled-counts.ts), so they end up
// right even when the account was disabled, where the triggers alone would drift.

/** Rows per batch: every id is a bound parameter, and D1 allows 100 per statement. */
const CHUNK = 50;

const placeholders = (count: number, from: number) =>
  Array.from({ length: count }, (_, i) => `?${from + i}`).join(", ");

async function idsOf(d1: D1Database, query: string, userId: string): Promise<string[]> {
  const { results } = await d1.prepare(query).bind(userId, CHUNK).all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Deletes the user's tracks, media first (R2: original, renditions, covers), then the rows and all that hangs off them. */
export async function eraseTracksOf(
  env: Pick<Env, "MEDIA" | "PUBLIC_BASE_URL">,
  db: Db,
  userId: string,
): Promise<void> {
  for (;;) {
    const ids = await idsOf(db.$client, "SELECT id FROM tracks WHERE owner_id = ?1 ORDER BY id LIMIT ?2", userId);
    for (const id of ids) await eraseTrack(env, db, id);
    if (ids.length < CHUNK) return;
  }
}

/** Deletes the user's albums (covers first); their tracks are gone already or go separately. */
export async function eraseAlbumsOf(env: Pick<Env, "MEDIA">, db: Db, userId: string): Promise<void> {
  const d1 = db.$client;
  for (;;) {
    const ids = await idsOf(d1, "SELECT id FROM albums WHERE owner_id = ?1 ORDER BY id LIMIT ?2", userId);
    for (const id of ids) {
      await deleteAlbumMedia(env, id);
      await d1.prepare("DELETE FROM albums WHERE id = ?1").bind(id).run();
    }
    if (ids.length < CHUNK) return;
  }
}

/** Deletes the user's playlists (their entries go with them). */
export async function erasePlaylistsOf(db: Db, userId: string): Promise<void> {
  const d1 = db.$client;
  for (;;) {
    const ids = await idsOf(d1, "SELECT id FROM playlists WHERE owner_id = ?1 ORDER BY id LIMIT ?2", userId);
    if (ids.length > 0) {
      await d1
        .prepare(`DELETE FROM playlists WHERE id IN (${placeholders(ids.length, 1)})`)
        .bind(...ids)
        .run();
    }
    if (ids.length < CHUNK) return;
  }
}

const LIKE_RECOUNT = `(SELECT COUNT(*) FROM likes AS l JOIN users AS u ON u.id = l.user_id
  WHERE l.track_id = tracks.id AND u.status != 'disabled')`;
const COMMENT_RECOUNT = `(SELECT COUNT(*) FROM comments AS c JOIN users AS u ON u.id = c.user_id
  WHERE c.track_id = tracks.id AND u.status != 'disabled')`;
const FOLLOWER_RECOUNT = `(SELECT COUNT(*) FROM follows AS f JOIN users AS u ON u.id = f.follower_id
  WHERE f.followee_id = user_stats.user_id AND u.status != 'disabled')`;
const FOLLOWING_RECOUNT = `(SELECT COUNT(*) FROM follows AS f JOIN users AS u ON u.id = f.followee_id
  WHERE f.follower_id = user_stats.user_id AND u.status != 'disabled')`;

/**
 * Runs `change` (which takes the user id as ?1 and the chunk's ids from ?2) and then `recount` for
 * those ids, in one atomic batch per chunk, until `select` finds nothing more.
 */
async function changeAndRecount(
  d1: D1Database,
  userId: string,
  select: string,
  change: (inList: string) => string,
  recount: (inList: string) => string,
): Promise<void> {
  for (;;) {
    const ids = await idsOf(d1, select, userId);
    if (ids.length === 0) return;
    const inList = placeholders(ids.length, 2);
    await d1.batch([d1.prepare(change(inList)).bind(userId, ...ids), d1.prepare(recount(inList)).bind(userId, ...ids)]);
    if (ids.length < CHUNK) return;
  }
}

/** Deletes the user's likes; the liked tracks' counts are recounted. */
export function eraseLikesOf(db: Db, userId: string): Promise<void> {
  return changeAndRecount(
    db.$client,
    userId,
    "SELECT track_id AS id FROM likes WHERE user_id = ?1 ORDER BY track_id LIMIT ?2",
    (ids) => `DELETE FROM likes WHERE user_id = ?1 AND track_id IN (${ids})`,
    (ids) => `UPDATE tracks SET like_count = ${LIKE_RECOUNT} WHERE ?1 IS NOT NULL AND id IN (${ids})`,
  );
}

/** Deletes the user's follows both ways; the other side's follower or following counts are recounted. */
export async function eraseFollowsOf(db: Db, userId: string): Promise<void> {
  await changeAndRecount(
    db.$client,
    userId,
    "SELECT followee_id AS id FROM follows WHERE follower_id = ?1 ORDER BY followee_id LIMIT ?2",
    (ids) => `DELETE FROM follows WHERE follower_id = ?1 AND followee_id IN (${ids})`,
    (ids) => `UPDATE user_stats SET follower_count = ${FOLLOWER_RECOUNT} WHERE ?1 IS NOT NULL AND user_id IN (${ids})`,
  );
  await changeAndRecount(
    db.$client,
    userId,
    "SELECT follower_id AS id FROM follows WHERE followee_id = ?1 ORDER BY follower_id LIMIT ?2",
    (ids) => `DELETE FROM follows WHERE followee_id = ?1 AND follower_id IN (${ids})`,
    (ids) =>
      `UPDATE user_stats SET following_count = ${FOLLOWING_RECOUNT} WHERE ?1 IS NOT NULL AND user_id IN (${ids})`,
  );
}

/**
 * The user's comments on other people's tracks stay, written by the "deleted user" (which must
 * exist: auth/deleted-user.ts); those tracks' comment counts are recounted.
 */
export function anonymiseCommentsOf(db: Db, userId: string): Promise<void> {
  return changeAndRecount(
    db.$client,
    userId,
    "SELECT DISTINCT track_id AS id FROM comments WHERE user_id = ?1 ORDER BY track_id LIMIT ?2",
    (ids) => `UPDATE comments SET user_id = '${DELETED_USER_ID}' WHERE user_id = ?1 AND track_id IN (${ids})`,
    (ids) => `UPDATE tracks SET comment_count = ${COMMENT_RECOUNT} WHERE ?1 IS NOT NULL AND id IN (${ids})`,
  );
}

/** The user's listens keep counting for the tracks they played, but no longer say who listened. */
export async function anonymisePlaysOf(db: Db, userId: string): Promise<void> {
  const d1 = db.$client;
  for (;;) {
    const result = await d1
      .prepare(
        `UPDATE plays SET user_id = NULL, listener_key = 'deleted'
          WHERE id IN (SELECT id FROM plays WHERE user_id = ?1 LIMIT 500)`,
      )
      .bind(userId)
      .run();
    if (result.meta.changes < 500) return;
  }
}
