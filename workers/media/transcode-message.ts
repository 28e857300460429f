import { z } from "@hono/zod-openapi";

/**
 * The message put on the `transcode` queue when an upload completes (at-least-once delivery: a
 * consumer must tolerate seeing the same track twice).
 *
 * - trackId: the track, now in status `processing`.
 * - originalKey: the R2 key of the uploaded original (`tracks/<trackId>/original`).
 * - uploadedBy: the uploader's user id (to notify them of the result).
 * - requestedAt: ISO 8601 time the upload completed.
 *
 * The consumer reads the original through a GET-signed URL (`signMediaUrl(env, {trackId, scope:
 * "original", ...})`) and writes outputs through a PUT-signed `renditions` prefix URL; see signed-urls.ts.
 */
export const TranscodeMessage = z.object({
  type: z.literal("transcode"),
  trackId: z.string().min(1),
  originalKey: z.string().min(1),
  uploadedBy: z.string().min(1),
  requestedAt: z.string().datetime(),
});
export type TranscodeMessage = z.infer<typeof TranscodeMessage>;

export function transcodeMessage(trackId: string, originalKey: string, uploadedBy: string, now = Date.now()) {
  return TranscodeMessage.parse({
    type: "transcode",
    trackId,
    originalKey,
    uploadedBy,
    requestedAt: new Date(now).toISOString(),
  });
}
