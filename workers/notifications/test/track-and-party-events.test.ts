import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { createTrackDraft, getTrackRow } from "../../catalog/tracks.ts";
import { connect, createRoom } from "../../chat/test/fixtures.ts";
import { party, stateOf } from "../../chat/test/party-fixtures.ts";
import { getDb } from "../../db/client.ts";
import worker from "../../index.ts";
import { transcodeMessage } from "../../media/transcode-message.ts";
import { call, registerUser, type TestUser } from "../../test/http.ts";
import type { FanoutMessage } from "../fanout/fanout-message.ts";
import { trackBecameReady } from "../track-events.ts";
import { inbox, liveChannel, waitForInbox } from "./fixtures.ts";

const follow = (who: TestUser, whom: TestUser) =>
  call("POST", `/api/v1/users/${whom.username}/follow`, { token: who.token });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("notifications of uploads, new tracks and parties", () => {
  it("tells the uploader their track failed, from the transcode consumer's last attempt", async () => {
    const user = await registerUser();
    const live = await liveChannel(user);
    const track = await createTrackDraft(getDb(env.DB), { ownerId: user.id, title: "Demo take", status: "processing" });
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO uploads (id, track_id, user_id, r2_upload_id, object_key, filename, declared_type, size, part_size,
         status, mime_type, created_at, updated_at)
       VALUES (?1, ?2, ?3, 'r2', ?4, 'demo.wav', 'audio/wav', 100, 100, 'completed', 'audio/wav', ?5, ?5)`,
    )
      .bind(`up-${track.id}`, track.id, user.id, `tracks/${track.id}/original`, now)
      .run();
    // The test runtime's transcoder is unreachable: the fifth attempt gives up.
    const batch = createMessageBatch("transcode", [
      {
        id: "m-1",
        timestamp: new Date(),
        attempts: 5,
        body: transcodeMessage(track.id, `tracks/${track.id}/original`, user.id),
      },
    ]);
    await worker.queue(batch, env);
    await getQueueResult(batch, createExecutionContext());

    const event = await live.next("notification");
    expect(event.notification).toMatchObject({
      type: "track.failed",
      track: { id: track.id, title: "Demo take" },
      actors: [],
      actorCount: 0,
    });
    expect(event.notification.reason).toMatch(/after 5 attempts/);
    expect((await inbox(user)).items).toEqual([event.notification]);
    live.close();
  });

  it("tells the uploader a track is ready and its artist's followers of it, through the real queue", async () => {
    const [artist, fan, other] = [await registerUser(), await registerUser(), await registerUser()];
    await follow(fan, artist);
    const track = await createTrack(artist, { title: "Fresh", status: "processing" });
    await env.DB.prepare("UPDATE tracks SET status = 'ready' WHERE id = ?1").bind(track.id).run();
    await trackBecameReady(env, (await getTrackRow(getDb(env.DB), track.id))!);

    const own = await waitForInbox(artist, 2);
    expect(own.items.map((n) => n.type).sort()).toEqual(["follow", "track.ready"]);
    const fans = await waitForInbox(fan, 1);
    expect(fans.items[0]).toMatchObject({
      type: "new_track",
      track: { id: track.id, title: "Fresh" },
      actors: [{ id: artist.id }],
    });
    expect((await inbox(other)).items).toEqual([]);
  });

  it("tells a party's start to the room's members and the host's followers, once each, through the real queue", async () => {
    const [host, member, fan, both] = [
      await registerUser(),
      await registerUser(),
      await registerUser(),
      await registerUser(),
    ];
    await follow(fan, host);
    await follow(both, host);
    const room = await createRoom(host, "public", "Friday session");
    for (const user of [member, both]) await connect(user, room.id).then((c) => c.close());
    const track = await createTrack(host, { title: "Opener" });
    const h = await connect(host, room.id);
    const state = stateOf(await party(h, "start", { trackId: track.id }));

    const expected = {
      type: "party",
      room: { id: room.id, name: "Friday session", kind: "public" },
      track: { id: track.id, title: "Opener" },
      actors: [{ id: host.id }],
      createdAt: new Date(state.startedAt).toISOString(),
    };
    for (const user of [member, fan]) {
      expect((await waitForInbox(user, 1)).items[0]).toMatchObject(expected);
    }
    // A member who also follows the host hears of it once (the fan's delivery, done above, carried
    // them both: the two followers fit in one batch); the host not at all.
    const page = await waitForInbox(both, 1);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ ...expected, count: 1 });
    expect((await inbox(host)).items.some((n) => n.type === "party")).toBe(false);
    h.close();
  });

  it("keeps a private room's party to its members", async () => {
    const host = await registerUser();
    const room = await createRoom(host, "private", "Closed");
    await env.DB.prepare("UPDATE rooms SET party_started_at = 123 WHERE id = ?1").bind(room.id).run();
    const sent: FanoutMessage[] = [];
    vi.spyOn(env.NOTIFY_QUEUE, "sendBatch").mockImplementation(async (messages) => {
      for (const m of messages) sent.push(m.body as FanoutMessage);
      return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } };
    });
    const fan = await registerUser();
    await follow(fan, host);
    const member = await registerUser();
    await env.DB.prepare("INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?1, ?2, 'member', 1)")
      .bind(room.id, member.id)
      .run();
    const message: FanoutMessage = { kind: "party", roomId: room.id, hostId: host.id, startedAt: 123 };
    const batch = createMessageBatch("notify-fanout", [
      { id: "p-1", timestamp: new Date(), attempts: 1, body: message },
    ]);
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["p-1"]);
    const recipients = sent.flatMap((m) => (m.kind === "deliver" ? m.recipients : []));
    expect(recipients).toEqual([member.id]);

    // A party that already ended (or another one) is not announced.
    sent.length = 0;
    const stale = createMessageBatch("notify-fanout", [
      { id: "p-2", timestamp: new Date(), attempts: 1, body: { ...message, startedAt: 99 } },
    ]);
    await worker.queue(stale, env);
    expect(sent).toEqual([]);
  });
});
