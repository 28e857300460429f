import { and, asc, eq, lt } from "drizzle-orm";
import { existingTrackIds } from "../catalog/tracks.ts";
import { getDb } from "../db/client.ts";
import { tracks, uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { originalKey, TRACKS_ROOT, trackPrefix } from "./keys.ts";
import { discardUpload } from "./uploads.ts";

/** An upload with no part or call for this long is abandoned. */
export const ABANDONED_AFTER_MS = 24 * 3600 * 1000;
/** Objects under `tracks/<id>/` with no such track are swept once this old (a write may race a delete). */
export const ORPHAN_GRACE_MS = 24 * 3600 * 1000;
/** The original of a track that failed for good is kept this long (the owner may still want it), then deleted. */
export const FAILED_ORIGINAL_GRACE_MS = 7 * 24 * 3600 * 1000;
const BATCH = 50;
/** Track prefixes looked at per run: 10 R2 list pages. */
const SWEEP_PAGES = 10;

/** Aborts abandoned uploads (no activity for 24 h): their R2 multipart uploads, stored objects and draft tracks. */
export async function cleanupAbandonedUploads(env: Env, now = Date.now()): Promise<number> {
  const stale = await getDb(env.DB)
    .select({ id: uploads.id, trackId: uploads.trackId, objectKey: uploads.objectKey, r2UploadId: uploads.r2UploadId })
    .from(uploads)
    .where(and(eq(uploads.status, "uploading"), lt(uploads.updatedAt, now - ABANDONED_AFTER_MS)))
    .orderBy(asc(uploads.updatedAt))
    .limit(BATCH);
  for (const upload of stale) await discardUpload(env, upload);
  return stale.length;
}

/**
 * Deletes the originals of tracks that failed for good and have not changed for a week: a failed
 * track is never served, so its original would only be storage held for nothing. The track row stays
 * (with its failure reason); its upload is marked `purged` and no longer counts towards the quota.
 */
export async function purgeFailedOriginals(env: Env, now = Date.now()): Promise<number> {
  const db = getDb(env.DB);
  // The upload row is this domain's; the join only reads the track's settled status.
  const failed = await db
    .select({ uploadId: uploads.id, trackId: uploads.trackId })
    .from(uploads)
    .innerJoin(tracks, eq(tracks.id, uploads.trackId))
    .where(
      and(
        eq(uploads.status, "completed"),
        eq(tracks.status, "failed"),
        lt(tracks.updatedAt, now - FAILED_ORIGINAL_GRACE_MS),
      ),
    )
    .orderBy(asc(tracks.updatedAt))
    .limit(BATCH);
  for (const { uploadId, trackId } of failed) {
    await env.MEDIA.delete(originalKey(trackId));
    await db.update(uploads).set({ status: "purged", updatedAt: now }).where(eq(uploads.id, uploadId));
  }
  return failed.length;
}

/**
 * Deletes objects under track prefixes that no track row points to (a track deleted while its
 * transcoder was still writing, an account deleted with everything it owned), once they are older
 * than the grace period. Returns how many objects went.
 */
export async function sweepOrphanedTrackMedia(env: Env, now = Date.now()): Promise<number> {
  const db = getDb(env.DB);
  let cursor: string | undefined;
  let removed = 0;
  for (let page = 0; page < SWEEP_PAGES; page++) {
    const listing = await env.MEDIA.list({ prefix: TRACKS_ROOT, delimiter: "/", cursor, limit: 1000 });
    const ids = listing.delimitedPrefixes.map((prefix) => prefix.slice(TRACKS_ROOT.length, -1));
    const known = await existingTrackIds(db, ids);
    for (const id of ids) {
      if (!known.has(id)) removed += await deleteObjectsOlderThan(env, trackPrefix(id), now - ORPHAN_GRACE_MS);
    }
    if (!listing.truncated) break;
    cursor = listing.cursor;
  }
  return removed;
}

async function deleteObjectsOlderThan(env: Pick<Env, "MEDIA">, prefix: string, cutoff: number): Promise<number> {
  let cursor: string | undefined;
  let removed = 0;
  do {
    const page = await env.MEDIA.list({ prefix, cursor, limit: 1000 });
    const old = page.objects.filter((o) => o.uploaded.getTime() < cutoff).map((o) => o.key);
    if (old.length > 0) await env.MEDIA.delete(old);
    removed += old.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return removed;
}
