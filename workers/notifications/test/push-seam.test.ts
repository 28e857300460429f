import { describe, expect, it, vi } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { call, registerUser } from "../../test/http.ts";
import { receivedBy } from "../push/test/fake-push.ts";
import { subscribeDevice } from "../push/test/fixtures.ts";
import { decryptPushMessage } from "../push/test/push-client.ts";
import { inbox, waitForInbox } from "./fixtures.ts";

describe("notifications handed to Web Push", () => {
  it("pushes the stored notification through the push queue, not in the response; a type muted for push still reaches the inbox", async () => {
    const [artist, fan] = [await registerUser(), await registerUser()];
    const device = await subscribeDevice(artist);
    const track = await createTrack(artist, { title: "Pushed" });
    expect((await call("POST", `/api/v1/tracks/${track.id}/like`, { token: fan.token })).status).toBe(200);

    const [stored] = (await waitForInbox(artist, 1)).items;
    const requests = await vi.waitFor(
      async () => {
        const got = await receivedBy(device.name);
        if (got.length === 0) throw new Error("nothing pushed yet");
        return got;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(requests).toHaveLength(1);
    const { plaintext } = await decryptPushMessage(device.client, requests[0]!.body);
    const payload = JSON.parse(new TextDecoder().decode(plaintext));
    expect(payload.notification).toMatchObject({
      id: stored!.id,
      type: "like",
      track: { id: track.id, title: "Pushed" },
    });
    expect(payload.url).toBe(`/tracks/${track.id}`);

    const muted = await call("PATCH", "/api/v1/me/notification-settings", {
      token: artist.token,
      body: { types: { comment: false } },
    });
    expect(muted.status).toBe(200);
    expect(
      (await call("POST", `/api/v1/tracks/${track.id}/comments`, { token: fan.token, body: { body: "hi" } })).status,
    ).toBe(201);
    const page = await waitForInbox(artist, 2);
    expect(page.items[0]).toMatchObject({ type: "comment" });
    // A follow after the comment: once its push has arrived, the muted comment's would have too.
    expect((await call("POST", `/api/v1/users/${artist.username}/follow`, { token: fan.token })).status).toBe(200);
    const after = await vi.waitFor(
      async () => {
        const got = await receivedBy(device.name);
        if (got.length < 2) throw new Error("follow not pushed yet");
        return got;
      },
      { timeout: 15_000, interval: 100 },
    );
    const types = await Promise.all(
      after.map(async (request) => {
        const { plaintext } = await decryptPushMessage(device.client, request.body);
        return JSON.parse(new TextDecoder().decode(plaintext)).notification.type;
      }),
    );
    expect(types).toEqual(["like", "follow"]);
    // Someone without a device gets their inbox and nothing else goes out.
    expect((await inbox(fan)).items).toEqual([]);
  });
});
