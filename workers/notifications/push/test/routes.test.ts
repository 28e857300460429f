import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../../test/http.ts";
import { base64url } from "../p256.ts";
import { MAX_SUBSCRIPTIONS_PER_USER } from "../subscriptions.ts";
import { subscribeDevice } from "./fixtures.ts";
import { newTestPushClient } from "./push-client.ts";

async function subscribeWith(token: string, body: unknown) {
  return call("POST", "/api/v1/me/push/subscriptions", { token, body });
}

describe("push routes", () => {
  it("give the VAPID public key to a signed-in user only", async () => {
    const user = await registerUser();
    const response = await call("GET", "/api/v1/me/push/public-key", { token: user.token });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ publicKey: env.VAPID_PUBLIC_KEY });
    expect((await call("GET", "/api/v1/me/push/public-key")).status).toBe(401);
  });

  it("refuse a subscription with a clear 400 for each malformed part", async () => {
    const user = await registerUser();
    const client = await newTestPushClient();
    const keys = { p256dh: client.p256dh, auth: client.auth };
    const offCurve = new Uint8Array(65);
    offCurve[0] = 4;
    offCurve.fill(7, 1);
    const cases: [unknown, string][] = [
      [{ endpoint: "http://push.example.net/x", keys }, "endpoint must be an https URL"],
      [{ endpoint: "https://10.0.0.1/x", keys }, "not an address"],
      [{ endpoint: "https://user:pw@push.example.net/x", keys }, "credentials"],
      [{ endpoint: "not a url", keys }, "absolute URL"],
      [{ endpoint: "https://push.example.net/x", keys: { ...keys, p256dh: base64url(new Uint8Array(33)) } }, "65-byte"],
      [
        { endpoint: "https://push.example.net/x", keys: { ...keys, p256dh: base64url(offCurve) } },
        "not a point on the P-256 curve",
      ],
      [{ endpoint: "https://push.example.net/x", keys: { ...keys, auth: base64url(new Uint8Array(12)) } }, "16-byte"],
      [{ endpoint: "https://push.example.net/x", keys: { p256dh: client.p256dh } }, "keys.auth"],
      [{ endpoint: "https://push.example.net/x", keys, locale: "not a locale!" }, "locale"],
    ];
    for (const [body, message] of cases) {
      const response = await subscribeWith(user.token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = await json(response);
      expectErrorEnvelope(error, "validation_failed");
      expect(error.error.message, JSON.stringify(body)).toContain(message);
    }
    expect(await json(await call("GET", "/api/v1/me/push/subscriptions", { token: user.token }))).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("subscribe a device once (201, then 200 with new keys), list it and remove it by endpoint", async () => {
    const user = await registerUser();
    const client = await newTestPushClient();
    const endpoint = "https://fcm.googleapis.com/fcm/send/abc123";
    const body = { endpoint, expirationTime: null, keys: { p256dh: client.p256dh, auth: client.auth } };
    const first = await call("POST", "/api/v1/me/push/subscriptions", {
      token: user.token,
      body,
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" },
    });
    expect(first.status).toBe(201);
    const device = await json(first);
    expect(device).toMatchObject({ endpoint, userAgent: expect.stringContaining("Firefox"), lastDeliveredAt: null });
    expect(device).not.toHaveProperty("keys");

    const renewed = await newTestPushClient();
    const again = await subscribeWith(user.token, { ...body, keys: { p256dh: renewed.p256dh, auth: renewed.auth } });
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe(device.id);
    const [row] = (await env.DB.prepare("SELECT p256dh FROM push_subscriptions WHERE id = ?").bind(device.id).all())
      .results;
    expect(row).toEqual({ p256dh: renewed.p256dh });

    const list = await json(await call("GET", "/api/v1/me/push/subscriptions", { token: user.token }));
    expect(list.items.map((d: { id: string }) => d.id)).toEqual([device.id]);

    const removed = await call("POST", "/api/v1/me/push/subscriptions/remove", {
      token: user.token,
      body: { endpoint },
    });
    expect(removed.status).toBe(204);
    expect((await json(await call("GET", "/api/v1/me/push/subscriptions", { token: user.token }))).items).toEqual([]);
  });

  it("hand a browser's endpoint to whoever signs in on it, and let only the owner remove a device", async () => {
    const ana = await registerUser();
    const ben = await registerUser();
    const device = await subscribeDevice(ana);
    const client = await newTestPushClient();
    const taken = await subscribeWith(ben.token, {
      endpoint: device.endpoint,
      keys: { p256dh: client.p256dh, auth: client.auth },
    });
    expect(taken.status).toBe(201);
    expect((await json(await call("GET", "/api/v1/me/push/subscriptions", { token: ana.token }))).items).toEqual([]);

    const benDevice = await json(taken);
    const notYours = await call("DELETE", `/api/v1/me/push/subscriptions/${benDevice.id}`, { token: ana.token });
    expect(notYours.status).toBe(404);
    expectErrorEnvelope(await json(notYours), "not_found");
    expect((await call("DELETE", `/api/v1/me/push/subscriptions/${benDevice.id}`, { token: ben.token })).status).toBe(
      204,
    );
  });

  it("keep at most the newest devices per account", async () => {
    const user = await registerUser();
    const first = await subscribeDevice(user);
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_USER; i++) await subscribeDevice(user);
    const ids = (await json(await call("GET", "/api/v1/me/push/subscriptions", { token: user.token }))).items.map(
      (d: { id: string }) => d.id,
    );
    expect(ids).toHaveLength(MAX_SUBSCRIPTIONS_PER_USER);
    expect(ids).not.toContain(first.id);
  });
});

describe("notification settings", () => {
  it("start with every type on and no quiet hours, and change only what is sent", async () => {
    const user = await registerUser();
    const initial = await json(await call("GET", "/api/v1/me/notification-settings", { token: user.token }));
    expect(initial.quietHours).toBeNull();
    expect(Object.values(initial.types).every((on) => on === true)).toBe(true);
    expect(Object.keys(initial.types).sort()).toEqual(
      ["comment", "dm", "follow", "like", "mention", "new_track", "party", "track.failed", "track.ready"].sort(),
    );

    const muted = await call("PATCH", "/api/v1/me/notification-settings", {
      token: user.token,
      body: { types: { like: false, new_track: false } },
    });
    expect(muted.status).toBe(200);
    const quiet = await json(
      await call("PATCH", "/api/v1/me/notification-settings", {
        token: user.token,
        body: { quietHours: { start: "22:30", end: "07:00", timeZone: "Europe/Paris" } },
      }),
    );
    expect(quiet).toEqual({
      types: { ...initial.types, like: false, new_track: false },
      quietHours: { start: "22:30", end: "07:00", timeZone: "Europe/Paris" },
    });
    const back = await json(
      await call("PATCH", "/api/v1/me/notification-settings", {
        token: user.token,
        body: { types: { like: true }, quietHours: null },
      }),
    );
    expect(back).toEqual({ types: { ...initial.types, new_track: false }, quietHours: null });
    expect(await json(await call("GET", "/api/v1/me/notification-settings", { token: user.token }))).toEqual(back);
  });

  it("refuse unknown types, bad times and unknown time zones with a 400", async () => {
    const user = await registerUser();
    const bodies = [
      { types: { likes: false } },
      { types: { like: "no" } },
      { quietHours: { start: "24:00", end: "07:00", timeZone: "UTC" } },
      { quietHours: { start: "7:00", end: "08:00", timeZone: "UTC" } },
      { quietHours: { start: "22:00", end: "22:00", timeZone: "UTC" } },
      { quietHours: { start: "22:00", end: "07:00", timeZone: "Mars/Olympus_Mons" } },
      {},
    ];
    for (const body of bodies) {
      const response = await call("PATCH", "/api/v1/me/notification-settings", { token: user.token, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expectErrorEnvelope(await json(response), "validation_failed");
    }
  });

  it("are gone with the account (rows cascade)", async () => {
    const user = await registerUser();
    await subscribeDevice(user);
    await call("PATCH", "/api/v1/me/notification-settings", { token: user.token, body: { types: { dm: false } } });
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(user.id).run();
    const left = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM push_subscriptions WHERE user_id = ?1) + (SELECT count(*) FROM push_settings WHERE user_id = ?1) AS n",
    )
      .bind(user.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});

describe("the account export", () => {
  it("holds the push settings and devices, never their keys", async () => {
    const user = await registerUser();
    const device = await subscribeDevice(user);
    await call("PATCH", "/api/v1/me/notification-settings", { token: user.token, body: { types: { party: false } } });
    const text = await (await call("GET", "/api/v1/me/export", { token: user.token })).text();
    expect(text).not.toContain(device.client.auth);
    expect(text).not.toContain(device.client.p256dh);
    const { pushNotifications } = JSON.parse(text);
    expect(pushNotifications.settings.types.party).toBe(false);
    expect(pushNotifications.devices).toEqual([expect.objectContaining({ id: device.id, endpoint: device.endpoint })]);
  });
});
