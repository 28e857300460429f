import type { Env } from "../../env.ts";
import { log } from "../../shared/log.ts";
import { deliverPush, recordOutcome, sendToDevice } from "./deliver.ts";
import { MAX_PUSH_ATTEMPTS, PushQueueMessage, retryDelaySeconds } from "./retry-message.ts";
import { getSubscription } from "./subscriptions.ts";
import { VapidConfigError, vapidKeys } from "./vapid.ts";

/**
 * The `push-retry` queue: a first send handed over by a request goes through deliverPush (whose own
 * 429/5xx come back here as retries); a retry is sent again to its one device and settled on its own.
 * Acked: delivered, gone (the device is pruned), refused for good, expired, given up after
 * MAX_PUSH_ATTEMPTS, or malformed. Retried with the push service's Retry-After (or a backoff) otherwise.
 */
export async function consumePushRetryBatch(batch: MessageBatch, env: Env, now = Date.now()): Promise<void> {
  for (const message of batch.messages) {
    const parsed = PushQueueMessage.safeParse(message.body);
    if (!parsed.success) {
      log("error", "push.retry.malformed", { messageId: message.id, action: "acked" });
      message.ack();
      continue;
    }
    if (parsed.data.type === "push.deliver") {
      await deliverPush(env, parsed.data.userId, parsed.data.notification, { now });
      message.ack();
      continue;
    }
    const { subscriptionId, notification, silent, expiresAt } = parsed.data;
    const subscription = await getSubscription(env.DB, subscriptionId);
    if (!subscription || now >= expiresAt) {
      message.ack();
      continue;
    }
    let vapid: Awaited<ReturnType<typeof vapidKeys>>;
    try {
      vapid = await vapidKeys(env);
    } catch (error) {
      if (!(error instanceof VapidConfigError)) throw error;
      log("error", "push.not_configured", { message: error.message });
      message.ack();
      continue;
    }
    // The first send was attempt 1; this delivery of the queue message is attempt 1 + attempts.
    const attempt = 1 + message.attempts;
    const outcome = await sendToDevice(subscription, notification, silent, vapid, now, expiresAt);
    if (outcome.kind !== "retry") {
      await recordOutcome(env, subscription, outcome, now);
      message.ack();
    } else if (attempt >= MAX_PUSH_ATTEMPTS) {
      log("warn", "push.retry.gave_up", { subscriptionId, status: outcome.status, attempts: attempt });
      message.ack();
    } else {
      message.retry({ delaySeconds: retryDelaySeconds(attempt, outcome.retryAfterSeconds) });
    }
  }
}
