import { z } from "@hono/zod-openapi";
import type { NotificationEvent } from "../event.ts";
import { NOTIFICATION_TYPES, type NotificationSubject } from "../protocol.ts";

/**
 * Messages of the `notify-fanout` queue. Delivery is at least once; every step is safe to repeat:
 *
 * - `new_track` {trackId} and `party` {roomId, hostId, startedAt}: what happened. The consumer
 *   checks it still holds (the track still public, the party still on), builds the event and
 *   starts paging its audience.
 * - `page` {audience, event, after}: one page of the audience after the keyset cursor `after`
 *   (active accounts, no blocks with the actor): it enqueues that page as `deliver` batches and
 *   the next `page`. A repeated page enqueues the same batches again, which add nothing.
 * - `deliver` {event, recipients}: the event into each recipient's inbox; the inbox keeps the
 *   event's key, so a redelivered batch stores and sends nothing twice. Any failure retries the
 *   whole message; the recipients already done are skipped by their key.
 */
const Id = z.string().min(1).max(64);

const Actor = z.object({ id: Id, username: z.string(), displayName: z.string() });

const Event = z.object({
  type: z.enum(NOTIFICATION_TYPES),
  key: z.string().min(1).max(200),
  group: z.string().max(200).optional(),
  actor: Actor.optional(),
  subject: z.custom<NotificationSubject>((value) => typeof value === "object" && value !== null),
  at: z.number().int().optional(),
}) satisfies z.ZodType<NotificationEvent>;

export const Audience = z.discriminatedUnion("type", [
  /** Active followers of `userId` with no block either way. */
  z.object({ type: z.literal("followers"), userId: Id, bannedFrom: Id.optional() }),
  /** Active members of a room, not banned from it. */
  z.object({ type: z.literal("members"), roomId: Id }),
]);
export type Audience = z.infer<typeof Audience>;

/** Keyset position in an audience: the sort key (follow time; 0 for members) and the user id. */
const After = z.object({ k: z.number().int(), id: Id }).nullable();
export type AudienceCursor = z.infer<typeof After>;

export const FanoutMessage = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("new_track"), trackId: Id }),
  z.object({ kind: z.literal("party"), roomId: Id, hostId: Id, startedAt: z.number().int() }),
  z.object({ kind: z.literal("page"), audience: Audience, event: Event, after: After }),
  z.object({ kind: z.literal("deliver"), event: Event, recipients: z.array(Id).min(1).max(100) }),
]);
export type FanoutMessage = z.infer<typeof FanoutMessage>;
