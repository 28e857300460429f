import { z } from "@hono/zod-openapi";
import { newId } from "../shared/ids.ts";

/**
 * The message put on the `plays` queue for a play report that reached the counting threshold
 * (shorter reports are never queued). Delivery is at least once, and one listen may be reported
 * more than once: the consumer (play-consumer.ts) counts each listen once.
 *
 * - playId: a fresh id generated when the report was accepted; the play row's id for a report
 *   without a listenId, so a redelivered message inserts nothing.
 * - trackId, userId (null for anonymous listeners), listenerKey (`u:<userId>` or `ip:<hash>`).
 * - listenedMs: how much the client listened; listenId: the client's id of one listen, if sent.
 * - durationMs: the track's duration when the report was accepted (sets the dedup window).
 * - at: when the report was accepted, in ms since the epoch; the play's time.
 */
export const PlayMessage = z.object({
  type: z.literal("play"),
  playId: z.string().min(1).max(64),
  trackId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64).nullable(),
  listenerKey: z.string().min(1).max(128),
  listenedMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000),
  listenId: z.string().min(1).max(64).optional(),
  durationMs: z.number().int().min(0).nullable(),
  at: z.number().int().min(0),
});
export type PlayMessage = z.infer<typeof PlayMessage>;

export function playMessage(report: Omit<PlayMessage, "type" | "playId" | "at">, now = Date.now()): PlayMessage {
  return PlayMessage.parse({ type: "play", playId: newId(now), ...report, at: now });
}
