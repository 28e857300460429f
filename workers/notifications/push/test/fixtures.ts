import { call, json, type TestUser } from "../../../test/http.ts";
import type { PushableNotification, PushNotificationType } from "../notification-shape.ts";
import { fakeEndpoint } from "./fake-push.ts";
import { newTestPushClient, type TestPushClient } from "./push-client.ts";

/** A device subscribed through the API to an endpoint of the fake push service. */
export type TestDevice = { id: string; name: string; endpoint: string; client: TestPushClient };

export async function subscribeDevice(user: TestUser, statuses = "201", locale = "en"): Promise<TestDevice> {
  const client = await newTestPushClient();
  const { endpoint, name } = fakeEndpoint(statuses);
  const response = await call("POST", "/api/v1/me/push/subscriptions", {
    token: user.token,
    body: { endpoint, expirationTime: null, keys: { p256dh: client.p256dh, auth: client.auth }, locale },
  });
  if (response.status !== 201) throw new Error(`subscribe failed: ${response.status} ${await response.text()}`);
  const device = await json(response);
  return { id: device.id, name, endpoint, client };
}

let counter = 0;

/** A stored notification as the inbox hands it to deliverPush. */
export function sampleNotification(
  type: PushNotificationType = "like",
  overrides: Partial<PushableNotification> = {},
): PushableNotification {
  counter++;
  return {
    id: `n${Date.now().toString(36)}${counter}`,
    type,
    createdAt: new Date().toISOString(),
    actors: [{ id: "u-ana", username: "ana", displayName: "Ana" }],
    actorCount: 13,
    count: 13,
    track: { id: "t-night", title: "Night Drive" },
    ...overrides,
  };
}
