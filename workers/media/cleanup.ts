import { and, asc, eq, lt } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { discardUpload } from "./uploads.ts";

/** An upload with no part or call for this long is abandoned. */
export const ABANDONED_AFTER_MS = 24 * 3600 * 1000;
const BATCH = 50;

/**
 * Aborts abandoned uploads (no activity for 24 h): their R2 multipart uploads, stored objects and
 * draft tracks. Runs from the hourly cron; a run handles a bounded batch, the next run the rest.
 */
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
