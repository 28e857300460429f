import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, json, registerUser } from "../../../test/http.ts";
import { deliverPush } from "../deliver.ts";
import type { PushPayload } from "../notification-shape.ts";
import { receivedBy } from "./fake-push.ts";
import { sampleNotification, subscribeDevice } from "./fixtures.ts";
import { decryptPushMessage } from "./push-client.ts";
import { verifyVapidAuthorization } from "./vapid-verify.ts";

async function payloadOf(device: Awaited<ReturnType<typeof subscribeDevice>>, index = 0) {
  const requests = await receivedBy(device.name);
  const request = requests[index];
  if (!request) throw new Error(`the fake push service got ${requests.length} request(s) for this device`);
  const { plaintext } = await decryptPushMessage(device.client, request.body);
  return { request, payload: JSON.parse(new TextDecoder().decode(plaintext)) as PushPayload };
}

async function deviceIds(token: string): Promise<string[]> {
  const list = await json(await call("GET", "/api/v1/me/push/subscriptions", { token }));
  return list.items.map((item: { id: string }) => item.id);
}

describe("deliverPush to a push service", () => {
  it("sends an encrypted message each device decrypts, with VAPID, TTL, Urgency and Topic", async () => {
    const user = await registerUser();
    const phone = await subscribeDevice(user, "201", "fr");
    const laptop = await subscribeDevice(user);
    const notification = sampleNotification("dm", {
      track: undefined,
      room: { id: "room-1", name: "Ana", kind: "dm" },
      message: { id: "m1", preview: "Are you coming tonight?" },
    });

    const report = await deliverPush(env, user.id, notification);
    expect(report).toEqual({ silent: false, delivered: 2, pruned: 0, retrying: 0, rejected: 0 });

    const { request, payload } = await payloadOf(phone);
    expect(payload).toEqual({
      notification: { ...notification, message: { id: "m1", preview: "Are you coming tonight?" } },
      url: "/chat/room-1",
      tag: `veza:${notification.id}`,
      silent: false,
      locale: "fr",
    });
    expect((await payloadOf(laptop)).payload.locale).toBe("en");
    expect(request.headers["content-encoding"]).toBe("aes128gcm");
    expect(request.headers["content-type"]).toBe("application/octet-stream");
    expect(request.headers.ttl).toBe(String(24 * 3600));
    expect(request.headers.urgency).toBe("high");
    expect(request.headers.topic).toBe(notification.id);
    const vapid = await verifyVapidAuthorization(request.headers.authorization ?? "");
    expect(vapid.claims.aud).toBe(new URL(phone.endpoint).origin);
    expect(vapid.key).toBe(env.VAPID_PUBLIC_KEY);
    // Padded to a multiple of 64 bytes (header 86, tag 16): the length says little about the content.
    expect((request.body.length - 86 - 16) % 64).toBe(0);

    const [row] = (
      await env.DB.prepare("SELECT last_delivered_at FROM push_subscriptions WHERE id = ?")
        .bind(phone.id)
        .all<{ last_delivered_at: number | null }>()
    ).results;
    expect(row?.last_delivered_at).toBeGreaterThan(0);
  });

  it("prunes devices the push service answers 404 or 410 for, and keeps the others", async () => {
    const user = await registerUser();
    const kept = await subscribeDevice(user, "201");
    const expired = await subscribeDevice(user, "410");
    const unknown = await subscribeDevice(user, "404");

    const report = await deliverPush(env, user.id, sampleNotification("follow", { track: undefined }));
    expect(report).toMatchObject({ delivered: 1, pruned: 2, retrying: 0 });
    expect(await receivedBy(expired.name)).toHaveLength(1);
    expect(await receivedBy(unknown.name)).toHaveLength(1);
    expect(await deviceIds(user.token)).toEqual([kept.id]);

    await deliverPush(env, user.id, sampleNotification("follow", { track: undefined }));
    expect(await receivedBy(expired.name)).toHaveLength(1);
    expect(await receivedBy(kept.name)).toHaveLength(2);
  });

  it("retries a 503 through the push-retry queue after Retry-After, without waiting for it", async () => {
    const user = await registerUser();
    const busy = await subscribeDevice(user, "503,201");
    const notification = sampleNotification("track.ready", { actors: [], actorCount: 0, count: 1 });

    const report = await deliverPush(env, user.id, notification);
    expect(report).toMatchObject({ delivered: 0, retrying: 1, pruned: 0 });
    expect(await receivedBy(busy.name)).toHaveLength(1);

    // The real queue hands the message back to the Worker's consumer after the 1 s Retry-After.
    const deadline = Date.now() + 20_000;
    while ((await receivedBy(busy.name)).length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const { payload, request } = await payloadOf(busy, 1);
    expect(payload.notification.id).toBe(notification.id);
    expect(Number(request.headers.ttl)).toBeLessThanOrEqual(72 * 3600);
    expect(await deviceIds(user.token)).toEqual([busy.id]);
  });

  it("sends nothing for a type the user turned off, and nothing when there are no devices", async () => {
    const user = await registerUser();
    expect(await deliverPush(env, user.id, sampleNotification("like"))).toMatchObject({ skipped: "no_devices" });
    const device = await subscribeDevice(user);
    const patched = await call("PATCH", "/api/v1/me/notification-settings", {
      token: user.token,
      body: { types: { like: false } },
    });
    expect(patched.status).toBe(200);

    expect(await deliverPush(env, user.id, sampleNotification("like"))).toMatchObject({ skipped: "muted" });
    expect(await receivedBy(device.name)).toHaveLength(0);
    expect(await deliverPush(env, user.id, sampleNotification("comment"))).toMatchObject({ delivered: 1 });
    expect(await receivedBy(device.name)).toHaveLength(1);
  });

  it("sends silent, low-urgency messages during quiet hours in the user's time zone", async () => {
    const user = await registerUser();
    const device = await subscribeDevice(user);
    await call("PATCH", "/api/v1/me/notification-settings", {
      token: user.token,
      body: { quietHours: { start: "22:00", end: "07:00", timeZone: "Asia/Tokyo" } },
    });
    // 14:30 UTC is 23:30 in Tokyo (quiet); 23:30 UTC is 08:30 there (not quiet).
    const quietNight = Date.UTC(2026, 5, 1, 14, 30);
    const tokyoMorning = Date.UTC(2026, 5, 1, 23, 30);

    expect(await deliverPush(env, user.id, sampleNotification("mention"), { now: quietNight })).toMatchObject({
      silent: true,
      delivered: 1,
    });
    expect(await deliverPush(env, user.id, sampleNotification("mention"), { now: tokyoMorning })).toMatchObject({
      silent: false,
      delivered: 1,
    });
    const night = await payloadOf(device, 0);
    const morning = await payloadOf(device, 1);
    expect(night.payload.silent).toBe(true);
    expect(night.request.headers.urgency).toBe("low");
    expect(morning.payload.silent).toBe(false);
    expect(morning.request.headers.urgency).toBe("high");
  });

  it("reports push as not configured, without throwing, when the VAPID keys are missing", async () => {
    const user = await registerUser();
    const device = await subscribeDevice(user);
    const report = await deliverPush({ ...env, VAPID_PRIVATE_KEY: "" }, user.id, sampleNotification());
    expect(report).toMatchObject({ skipped: "not_configured", delivered: 0 });
    expect(await receivedBy(device.name)).toHaveLength(0);
  });
});
