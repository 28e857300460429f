import type { Db } from "../db/client.ts";
import type { Env } from "../env.ts";
import { evictTrackCache } from "../media/cache.ts";
import { abortMultipart, deleteTrackMedia, openMultipartOf } from "../media/storage.ts";
import { getTrackRow } from "./tracks.ts";

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

/**
 * Deletes the track's rows, then its data in R2: an upload still open is aborted (its parts would
 * otherwise stay), then the objects go (original, renditions, cover). Renditions a transcoder is
 * still writing are refused by the media PUT once the row is gone.
 */
export async function removeTrack(env: Pick<Env, "MEDIA" | "PUBLIC_BASE_URL">, db: Db, id: string): Promise<boolean> {
  const track = await getTrackRow(db, id);
  // Public URLs signed before the delete must not keep playing from this data center's cache.
  if (track) await evictTrackCache(env, id, track.mediaVersion);
  const open = await openMultipartOf(db, id);
  const deleted = await deleteTrack(db, id);
  if (deleted) {
    if (open) await abortMultipart(env, open);
    await deleteTrackMedia(env, id);
  }
  return deleted;
}

/**
 * Account deletion's order: the R2 objects go before the rows, so a run that stops halfway leaves
 * a row that the next run finds and finishes, never objects that nothing points to.
 */
export async function eraseTrack(env: Pick<Env, "MEDIA" | "PUBLIC_BASE_URL">, db: Db, id: string): Promise<void> {
  const track = await getTrackRow(db, id);
  if (!track) return;
  await evictTrackCache(env, id, track.mediaVersion);
  const open = await openMultipartOf(db, id);
  if (open) await abortMultipart(env, open);
  await deleteTrackMedia(env, id);
  await deleteTrack(db, id);
}
