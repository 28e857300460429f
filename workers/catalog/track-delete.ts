import type { Db } from "../db/client.ts";
import type { Env } from "../env.ts";
import { deleteTrackMedia } from "../media/storage.ts";

/**
 * Deletes a track and everything hanging off it (likes, comments, plays, playlist and album
 * entries cascade; search rows go by trigger). Playlists it was in close the gap first, in the
 * same atomic batch, so their positions stay dense.
 */
export async function deleteTrack(db: Db, id: string): Promise<boolean> {
  const d1 = db.$client;
  const [, deleted] = await d1.batch([
    d1
      .prepare(
        `UPDATE playlist_tracks SET position = position - 1
         WHERE playlist_id IN (SELECT playlist_id FROM playlist_tracks WHERE track_id = ?1)
           AND position > (
             SELECT gone.position FROM playlist_tracks gone
             WHERE gone.playlist_id = playlist_tracks.playlist_id AND gone.track_id = ?1
           )`,
      )
      .bind(id),
    d1.prepare("DELETE FROM tracks WHERE id = ?1").bind(id),
  ]);
  return (deleted?.meta.changes ?? 0) > 0;
}

/** Deletes the track's rows, then its objects in R2 (original, renditions, cover). */
export async function removeTrack(env: Pick<Env, "MEDIA">, db: Db, id: string): Promise<boolean> {
  const deleted = await deleteTrack(db, id);
  if (deleted) await deleteTrackMedia(env, id);
  return deleted;
}
