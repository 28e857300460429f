import { z } from "@hono/zod-openapi";
import { PUSH_NOTIFICATION_TYPES, type PushableNotification } from "./notification-shape.ts";

/**
 * A push message to send again to one subscription, put on the `push-retry` queue when the push
 * service answered 429 or 5xx (or did not answer); `delaySeconds` follows its Retry-After.
 * Delivery is at least once: a redelivered message may reach the device twice, and the device
 * shows it once (the same notification tag replaces the shown one; the same Topic replaces a
 * pending one at the push service).
 *
 * - subscriptionId: the row in push_subscriptions; gone (pruned or unsubscribed): acked, not sent.
 * - notification: what deliverPush was given (trimmed to what the service worker shows).
 * - silent: whether it was inside the user's quiet hours when first sent (kept as decided then).
 * - expiresAt: first attempt + the message's TTL; after it the news is stale and is dropped.
 */
export const PushRetryMessage = z.object({
  type: z.literal("push.retry"),
  subscriptionId: z.string().min(1).max(64),
  notification: z.custom<PushableNotification>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as PushableNotification).id === "string" &&
      (PUSH_NOTIFICATION_TYPES as readonly string[]).includes((value as PushableNotification).type),
  ),
  silent: z.boolean(),
  expiresAt: z.number().int().min(0),
});
export type PushRetryMessage = z.infer<typeof PushRetryMessage>;

/**
 * A first send handed over by a request (a like, a follow, a comment): the push service's round
 * trip then happens in the queue consumer, never inside the response.
 */
export const PushDeliverMessage = z.object({
  type: z.literal("push.deliver"),
  userId: z.string().min(1).max(64),
  notification: PushRetryMessage.shape.notification,
});
export type PushDeliverMessage = z.infer<typeof PushDeliverMessage>;

/** What the push queue carries. */
export const PushQueueMessage = z.discriminatedUnion("type", [PushRetryMessage, PushDeliverMessage]);

/** Attempts in all (the first send included) before a message is given up; the inbox still has it. */
export const MAX_PUSH_ATTEMPTS = 5;
const BASE_DELAY_SECONDS = 30;
const MAX_DELAY_SECONDS = 60 * 60;

/** The wait before attempt `attempt + 1`: the push service's Retry-After if it gave one, else 30 s × 4ⁿ. */
export function retryDelaySeconds(attempt: number, retryAfter: number | null): number {
  const wanted = retryAfter ?? BASE_DELAY_SECONDS * 4 ** Math.max(0, attempt - 1);
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(wanted)));
}
