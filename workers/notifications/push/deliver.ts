import type { Env } from "../../env.ts";
import { errorFields, log } from "../../shared/log.ts";
import { encodePayload, pushHeaders } from "./message.ts";
import type { PushableNotification } from "./notification-shape.ts";
import { isQuietTime } from "./quiet-hours.ts";
import { type PushRetryMessage, retryDelaySeconds } from "./retry-message.ts";
import { type SendOutcome, sendPushMessage } from "./send.ts";
import { getPushRules } from "./settings.ts";
import { listSubscriptions, markDelivered, pruneSubscriptions, type SubscriptionRow } from "./subscriptions.ts";
import { VapidConfigError, type VapidKeys, vapidKeys } from "./vapid.ts";

export type PushDeliveryReport = {
  /** Why nothing was sent, when nothing was. */
  skipped?: "no_devices" | "muted" | "not_configured" | "error";
  /** Sent inside the user's quiet hours: shown without sound or vibration. */
  silent: boolean;
  delivered: number;
  pruned: number;
  retrying: number;
  rejected: number;
};

export type DeliverOptions = {
  /** The clock (ms since the epoch) quiet hours and VAPID tokens are read from; now by default. */
  now?: number;
};

const nothing = (skipped: PushDeliveryReport["skipped"]): PushDeliveryReport => ({
  skipped,
  silent: false,
  delivered: 0,
  pruned: 0,
  retrying: 0,
  rejected: 0,
});

/** Sends one stored notification to one device, with the TTL left before `expiresAt`. */
export async function sendToDevice(
  subscription: SubscriptionRow,
  notification: PushableNotification,
  silent: boolean,
  vapid: VapidKeys,
  now: number,
  expiresAt?: number,
): Promise<SendOutcome> {
  const headers = await pushHeaders(notification, silent);
  if (expiresAt !== undefined) headers.ttlSeconds = Math.max(0, Math.floor((expiresAt - now) / 1000));
  const content = encodePayload(notification, silent, subscription.locale);
  return sendPushMessage(subscription, content, headers, vapid, now);
}

/** Records what a push service said about one device: delivered, gone (pruned) or refused (logged). */
export async function recordOutcome(env: Env, subscription: SubscriptionRow, outcome: SendOutcome, now: number) {
  if (outcome.kind === "delivered") await markDelivered(env.DB, [subscription.id], now);
  else if (outcome.kind === "gone") await pruneSubscriptions(env.DB, [subscription.id]);
  else if (outcome.kind === "rejected") {
    log("warn", "push.rejected", { subscriptionId: subscription.id, status: outcome.status, detail: outcome.detail });
  }
}

/**
 * Pushes a stored notification to every device of `userId`, as their settings allow: nothing for a
 * muted type, silent during quiet hours. Devices the push service no longer knows (404/410) are
 * deleted; 429/5xx go on the `push-retry` queue with a delay, so this never waits for a retry.
 * Never throws: the notification is already in the inbox, and push is best effort on top of it.
 * Callers off the request path (a queue consumer, `ctx.waitUntil`) keep the sends out of responses.
 */
export async function deliverPush(
  env: Env,
  userId: string,
  notification: PushableNotification,
  options: DeliverOptions = {},
): Promise<PushDeliveryReport> {
  const now = options.now ?? Date.now();
  try {
    const [rules, subscriptions] = await Promise.all([getPushRules(env.DB, userId), listSubscriptions(env.DB, userId)]);
    if (subscriptions.length === 0) return nothing("no_devices");
    if (rules.muted.has(notification.type)) return nothing("muted");
    let vapid: VapidKeys;
    try {
      vapid = await vapidKeys(env);
    } catch (error) {
      if (!(error instanceof VapidConfigError)) throw error;
      log("error", "push.not_configured", { message: error.message });
      return nothing("not_configured");
    }
    const silent = isQuietTime(rules.quiet, now);
    const outcomes = await Promise.all(
      subscriptions.map((subscription) => sendToDevice(subscription, notification, silent, vapid, now)),
    );
    const report: PushDeliveryReport = { silent, delivered: 0, pruned: 0, retrying: 0, rejected: 0 };
    const delivered: string[] = [];
    const gone: string[] = [];
    const retries: MessageSendRequest<PushRetryMessage>[] = [];
    const { ttlSeconds } = await pushHeaders(notification, silent);
    outcomes.forEach((outcome, i) => {
      const subscription = subscriptions[i] as SubscriptionRow;
      if (outcome.kind === "delivered") delivered.push(subscription.id);
      else if (outcome.kind === "gone") gone.push(subscription.id);
      else if (outcome.kind === "rejected") {
        report.rejected++;
        log("warn", "push.rejected", {
          subscriptionId: subscription.id,
          status: outcome.status,
          detail: outcome.detail,
        });
      } else {
        retries.push({
          body: {
            type: "push.retry",
            subscriptionId: subscription.id,
            notification,
            silent,
            expiresAt: now + ttlSeconds * 1000,
          },
          delaySeconds: retryDelaySeconds(1, outcome.retryAfterSeconds),
        });
      }
    });
    await Promise.all([markDelivered(env.DB, delivered, now), pruneSubscriptions(env.DB, gone)]);
    if (retries.length > 0) await env.PUSH_RETRY_QUEUE.sendBatch(retries);
    report.delivered = delivered.length;
    report.pruned = gone.length;
    report.retrying = retries.length;
    return report;
  } catch (error) {
    log("error", "push.failed", { userId, notificationId: notification.id, ...errorFields(error) });
    return nothing("error");
  }
}
