import { and, eq } from "drizzle-orm";
import { getTrackRow, setTrackStatus } from "../catalog/tracks.ts";
import type { Db } from "../db/client.ts";
import { uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, conflict, notFound } from "../shared/errors.ts";
import { transcodeMessage } from "./transcode-message.ts";

/**
 * Puts a failed track back in the transcode queue (an operator's retry): the track goes back to
 * `processing` and gets a fresh message, so the consumer's attempts start over. Refused unless the
 * track failed and its complete original is still in R2.
 */
export async function retryTranscode(env: Env, db: Db, trackId: string) {
  const track = await getTrackRow(db, trackId);
  if (!track) throw notFound("Track");
  if (track.status !== "failed") {
    throw conflict("not_failed", `Only a failed track can be retried; this one is ${track.status}.`);
  }
  const upload = await db
    .select({ objectKey: uploads.objectKey, userId: uploads.userId })
    .from(uploads)
    .where(and(eq(uploads.trackId, trackId), eq(uploads.status, "completed")))
    .get();
  if (!upload || !(await env.MEDIA.head(upload.objectKey))) {
    throw conflict("original_missing", "The track's original is not in storage; the artist must upload it again.");
  }
  const reopened = await setTrackStatus(db, trackId, { status: "processing", from: "failed" });
  if (!reopened) throw conflict("not_failed", "The track changed meanwhile; reload and try again.");
  try {
    await env.TRANSCODE_QUEUE.send(transcodeMessage(trackId, upload.objectKey, upload.userId));
  } catch {
    await setTrackStatus(db, trackId, { status: "failed", failureReason: track.failureReason, from: "processing" });
    throw new ApiError(503, "queue_unavailable", "The transcode queue did not accept the job; try again.", undefined, {
      "retry-after": "30",
    });
  }
  return reopened;
}
