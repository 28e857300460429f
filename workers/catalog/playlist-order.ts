import type { Db } from "../db/client.ts";

/** A playlist holds at most this many tracks. */
export const MAX_PLAYLIST_TRACKS = 5000;

// Each change below is one atomic D1 batch whose positions are computed inside SQL from the rows
// as they are at that moment, so concurrent edits serialise and positions stay exactly 0..n-1.

/** Inserts `trackId` at `position` (or appends); later entries shift down. False if it was already there or the playlist is full. */
export async function insertEntry(db: Db, playlistId: string, trackId: string, position: number | undefined) {
  const d1 = db.$client;
  const at = position ?? MAX_PLAYLIST_TRACKS;
  const now = Date.now();
  const allowed = `(SELECT COUNT(*) FROM playlist_tracks WHERE playlist_id = ?1) < ${MAX_PLAYLIST_TRACKS}
    AND NOT EXISTS (SELECT 1 FROM playlist_tracks WHERE playlist_id = ?1 AND track_id = ?3)`;
  const [, inserted] = await d1.batch([
    d1
      .prepare(
        `UPDATE playlist_tracks SET position = position + 1 WHERE playlist_id = ?1 AND position >= ?2 AND ${allowed}`,
      )
      .bind(playlistId, at, trackId),
    d1
      .prepare(
        `INSERT INTO playlist_tracks (playlist_id, track_id, position, added_at)
         SELECT ?1, ?3, MIN(?2, (SELECT COUNT(*) FROM playlist_tracks WHERE playlist_id = ?1)), ?4
         WHERE ${allowed}`,
      )
      .bind(playlistId, at, trackId, now),
    d1.prepare("UPDATE playlists SET updated_at = ?2 WHERE id = ?1").bind(playlistId, now),
  ]);
  return (inserted?.meta.changes ?? 0) > 0;
}

/** Removes `trackId`; later entries shift up. False if it was not in the playlist. */
export async function removeEntry(db: Db, playlistId: string, trackId: string) {
  const d1 = db.$client;
  const [, deleted] = await d1.batch([
    d1
      .prepare(
        `UPDATE playlist_tracks SET position = position - 1 WHERE playlist_id = ?1
         AND position > (SELECT position FROM playlist_tracks WHERE playlist_id = ?1 AND track_id = ?2)`,
      )
      .bind(playlistId, trackId),
    d1.prepare("DELETE FROM playlist_tracks WHERE playlist_id = ?1 AND track_id = ?2").bind(playlistId, trackId),
    d1.prepare("UPDATE playlists SET updated_at = ?2 WHERE id = ?1").bind(playlistId, Date.now()),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

/**
 * Moves `trackId` to `position` (clamped to the end). The moved entry is parked at a negative
 * position that encodes where it was, so the gap closes and reopens without touching it.
 */
export async function moveEntry(db: Db, playlistId: string, trackId: string, position: number) {
  const d1 = db.$client;
  const target = "MIN(?3, (SELECT COUNT(*) - 1 FROM playlist_tracks WHERE playlist_id = ?1))";
  const [, , , moved] = await d1.batch([
    d1
      .prepare("UPDATE playlist_tracks SET position = -1 - position WHERE playlist_id = ?1 AND track_id = ?2")
      .bind(playlistId, trackId),
    d1
      .prepare(
        `UPDATE playlist_tracks SET position = position - 1 WHERE playlist_id = ?1
         AND position > (SELECT -1 - position FROM playlist_tracks WHERE playlist_id = ?1 AND track_id = ?2)`,
      )
      .bind(playlistId, trackId),
    d1
      .prepare(
        `UPDATE playlist_tracks SET position = position + 1 WHERE playlist_id = ?1 AND position >= ${target}
         AND EXISTS (SELECT 1 FROM playlist_tracks WHERE playlist_id = ?1 AND track_id = ?2)`,
      )
      .bind(playlistId, trackId, position),
    d1
      .prepare(`UPDATE playlist_tracks SET position = ${target} WHERE playlist_id = ?1 AND track_id = ?2`)
      .bind(playlistId, trackId, position),
    d1.prepare("UPDATE playlists SET updated_at = ?2 WHERE id = ?1").bind(playlistId, Date.now()),
  ]);
  return (moved?.meta.changes ?? 0) > 0;
}

/** Replaces every entry with `trackIds` (duplicates dropped, first kept), in one atomic batch. */
export async function replaceEntries(db: Db, playlistId: string, trackIds: string[]) {
  const d1 = db.$client;
  const unique = [...new Set(trackIds)].slice(0, MAX_PLAYLIST_TRACKS);
  const now = Date.now();
  const rowsPerStatement = 20;
  const inserts = [];
  for (let i = 0; i < unique.length; i += rowsPerStatement) {
    const chunk = unique.slice(i, i + rowsPerStatement);
    inserts.push(
      d1
        .prepare(
          `INSERT INTO playlist_tracks (playlist_id, track_id, position, added_at) VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}`,
        )
        .bind(...chunk.flatMap((trackId, j) => [playlistId, trackId, i + j, now])),
    );
  }
  await d1.batch([
    d1.prepare("DELETE FROM playlist_tracks WHERE playlist_id = ?1").bind(playlistId),
    ...inserts,
    d1.prepare("UPDATE playlists SET updated_at = ?2 WHERE id = ?1").bind(playlistId, now),
  ]);
}
