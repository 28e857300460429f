import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../index.ts";
import { registerUser } from "../../../test/http.ts";
import { MAX_PUSH_ATTEMPTS, type PushRetryMessage } from "../retry-message.ts";
import { receivedBy } from "./fake-push.ts";
import { sampleNotification, subscribeDevice } from "./fixtures.ts";

async function deliver(body: unknown, attempts: number) {
  const batch = createMessageBatch("push-retry", [
    { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

function retryOf(subscriptionId: string, expiresAt = Date.now() + 3_600_000): PushRetryMessage {
  return { type: "push.retry", subscriptionId, notification: sampleNotification("comment"), silent: false, expiresAt };
}

describe("the push-retry queue consumer", () => {
  it("retries a busy push service, then gives up after the last attempt", async () => {
    const user = await registerUser();
    const device = await subscribeDevice(user, "429");
    const early = await deliver(retryOf(device.id), 1);
    expect(early.retryMessages).toHaveLength(1);
    const last = await deliver(retryOf(device.id), MAX_PUSH_ATTEMPTS - 1);
    expect(last.retryMessages).toEqual([]);
    expect(last.explicitAcks).toHaveLength(1);
    expect(await receivedBy(device.name)).toHaveLength(2);
  });

  it("prunes a device that has gone meanwhile and acks", async () => {
    const user = await registerUser();
    const device = await subscribeDevice(user, "410");
    const result = await deliver(retryOf(device.id), 1);
    expect(result.explicitAcks).toHaveLength(1);
    const row = await env.DB.prepare("SELECT id FROM push_subscriptions WHERE id = ?").bind(device.id).first();
    expect(row).toBeNull();
  });

  it("acks without sending when the message expired, the device is unknown, or the body is malformed", async () => {
    const user = await registerUser();
    const device = await subscribeDevice(user);
    for (const body of [retryOf(device.id, Date.now() - 1), retryOf("no-such-device"), { type: "push.retry" }]) {
      const result = await deliver(body, 1);
      expect(result.explicitAcks, JSON.stringify(body)).toHaveLength(1);
      expect(result.retryMessages).toEqual([]);
    }
    expect(await receivedBy(device.name)).toHaveLength(0);
  });
});
