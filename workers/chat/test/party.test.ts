import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { livePositionMs } from "../party/party-protocol.ts";
import { roomStub } from "../room-stub.ts";
import { connect, createRoom } from "./fixtures.ts";
import { nextParty, party, partyStates, stateOf } from "./party-fixtures.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function invite(owner: { token: string }, roomId: string, guest: { token: string; username: string }) {
  await call("POST", `/api/v1/rooms/${roomId}/invites`, { token: owner.token, body: { username: guest.username } });
  await call("POST", `/api/v1/rooms/${roomId}/invites/accept`, { token: guest.token });
}

describe("listening party in the room object", () => {
  it("orders concurrent commands of host and co-host the same for everyone, and resumes after eviction", async () => {
    const [host, cohost, guest] = [await registerUser(), await registerUser(), await registerUser()];
    const tracks = await Promise.all([1, 2, 3, 4].map((n) => createTrack(host, { title: `Song ${n}` })));
    const room = await createRoom(host);
    const [h, c, g] = [await connect(host, room.id), await connect(cohost, room.id), await connect(guest, room.id)];
    expect((await g.hello()).party).toBeNull();

    const started = stateOf(await party(h, "start", { trackId: tracks[0]!.id }));
    expect(started).toMatchObject({ trackId: tracks[0]!.id, hostId: host.id, playing: true, positionMs: 0 });
    expect(started.tracks[tracks[0]!.id]).toMatchObject({ title: "Song 1", durationMs: 180_000 });
    stateOf(await party(h, "cohost_add", { userId: cohost.id }));

    // Both controllers fire without waiting for answers; some commands need a D1 lookup, some not.
    h.send({ type: "party", action: "queue_add", trackId: tracks[1]!.id });
    c.send({ type: "party", action: "seek", positionMs: 60_000 });
    h.send({ type: "party", action: "pause" });
    c.send({ type: "party", action: "queue_add", trackId: tracks[2]!.id });
    h.send({ type: "party", action: "seek", positionMs: 90_000 });
    c.send({ type: "party", action: "load", trackId: tracks[3]!.id, positionMs: 1_000 });
    h.send({ type: "party", action: "play" });
    const last = (s: ReturnType<typeof partyStates>[number]) => (s?.version ?? 0) >= started.version + 8;
    await Promise.all([h, c, g].map((client) => nextParty(client, last)));

    const seen = [h, c, g].map((client) => partyStates(client).filter((s) => s && s.version > started.version + 1));
    expect(seen[0]).toHaveLength(7);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    const versions = seen[0]!.map((s) => s?.version);
    expect(versions).toEqual([...versions].sort((a, b) => (a ?? 0) - (b ?? 0)));
    const final = seen[0]!.at(-1)!;
    expect(final.playing).toBe(true);
    expect([...final.queue].sort()).toEqual([tracks[1]!.id, tracks[2]!.id].sort());
    // Each controller's own commands kept their order: the host's play came after its pause.
    expect(seen[0]!.findLastIndex((s) => s?.playing === false)).toBeLessThan(seen[0]!.length - 1);

    await evictDurableObject(roomStub(env, room.id));
    const late = await connect(guest, room.id);
    const resumed = (await late.hello()).party;
    expect(resumed).toEqual(final);
    // The resumed object keeps ordering on top of the stored state.
    const after = stateOf(await party(c, "next"));
    expect(after.version).toBe(final.version + 1);
    expect(after.trackId).toBe(final.queue[0]);
    for (const client of [h, c, g, late]) client.close();
  });

  it("refuses control frames from anyone but the host and co-hosts", async () => {
    const [host, guest] = [await registerUser(), await registerUser()];
    const track = await createTrack(host);
    const room = await createRoom(host);
    const [h, g] = [await connect(host, room.id), await connect(guest, room.id)];
    expect(await party(g, "pause")).toEqual({ error: "no_party" });
    stateOf(await party(h, "start", { trackId: track.id }));
    for (const action of ["pause", "play", "next", "end", "start"] as const) {
      expect(await party(g, action)).toEqual({ error: "forbidden" });
    }
    expect(await party(g, "seek", { positionMs: 10 })).toEqual({ error: "forbidden" });
    expect(await party(g, "load", { trackId: track.id })).toEqual({ error: "forbidden" });
    expect(await party(g, "queue_add", { trackId: track.id })).toEqual({ error: "forbidden" });
    expect(await party(g, "cohost_add", { userId: guest.id })).toEqual({ error: "forbidden" });
    // A co-host may control but not name co-hosts.
    stateOf(await party(h, "cohost_add", { userId: guest.id }));
    expect(stateOf(await party(g, "pause")).playing).toBe(false);
    expect(await party(g, "cohost_remove", { userId: guest.id })).toEqual({ error: "forbidden" });
    // Malformed commands get a clear error, not silence.
    const from = g.frames.length;
    g.send({ type: "party", action: "shuffle" });
    expect((await g.next("error", () => true, from)).code).toBe("invalid_frame");
    expect(await party(h, "seek")).toEqual({ error: "invalid_party_action" });
    h.close();
    g.close();
  });

  it("gives a late joiner the live position, and answers time frames with the server clock", async () => {
    const [host, late] = [await registerUser(), await registerUser()];
    const track = await createTrack(host);
    const room = await createRoom(host);
    const h = await connect(host, room.id);
    const started = stateOf(await party(h, "start", { trackId: track.id, positionMs: 5_000 }));
    await sleep(250);
    const l = await connect(late, room.id);
    const state = (await l.hello()).party!;
    expect(state).toEqual(started);
    const before = Date.now();
    l.send({ type: "time", clientTime: 1234.5 });
    const time = await l.next("time");
    expect(time.clientTime).toBe(1234.5);
    expect(time.serverTime).toBeGreaterThanOrEqual(started.at);
    expect(Math.abs(time.serverTime - before)).toBeLessThan(1_000);
    expect(livePositionMs(state, time.serverTime)).toBeGreaterThanOrEqual(5_250);
    h.close();
    l.close();
  });

  it("hands control to a co-host when the host leaves, else to the longest-present member", async () => {
    const [host, cohost, first, second] = [
      await registerUser(),
      await registerUser(),
      await registerUser(),
      await registerUser(),
    ];
    const track = await createTrack(host);
    const room = await createRoom(host);
    const h = await connect(host, room.id);
    const f = await connect(first, room.id);
    const c = await connect(cohost, room.id);
    const s = await connect(second, room.id);
    stateOf(await party(h, "start", { trackId: track.id }));
    stateOf(await party(h, "cohost_add", { userId: cohost.id }));
    const from = f.frames.length;
    h.close();
    // Within the grace period (a reload) the host keeps control.
    await sleep(250);
    await runDurableObjectAlarm(roomStub(env, room.id));
    const handed = await nextParty(f, (p) => p?.hostId === cohost.id, from);
    expect(handed?.coHostIds).toEqual([]);
    expect(stateOf(await party(c, "pause")).playing).toBe(false);

    const from2 = s.frames.length;
    c.close();
    await sleep(250);
    await runDurableObjectAlarm(roomStub(env, room.id));
    expect((await nextParty(s, (p) => p?.hostId !== cohost.id, from2))?.hostId).toBe(first.id);
    expect(await party(s, "play")).toEqual({ error: "forbidden" });
    expect(stateOf(await party(f, "play")).playing).toBe(true);
    f.close();
    s.close();
  });

  it("keeps control with a host who comes back within the grace period", async () => {
    const [host, guest] = [await registerUser(), await registerUser()];
    const track = await createTrack(host);
    const room = await createRoom(host);
    const h = await connect(host, room.id);
    const g = await connect(guest, room.id);
    stateOf(await party(h, "start", { trackId: track.id }));
    h.close();
    const back = await connect(host, room.id);
    await sleep(250);
    await runDurableObjectAlarm(roomStub(env, room.id));
    expect((await back.hello()).party?.hostId).toBe(host.id);
    expect(stateOf(await party(back, "pause")).hostId).toBe(host.id);
    back.close();
    g.close();
  });

  it("ends a party that stayed empty, by alarm, and takes it off the live list", async () => {
    const host = await registerUser();
    const track = await createTrack(host);
    const room = await createRoom(host);
    const h = await connect(host, room.id);
    const started = stateOf(await party(h, "start", { trackId: track.id }));
    const live = () =>
      env.DB.prepare("SELECT party_started_at AS startedAt, party_track_id AS trackId FROM rooms WHERE id = ?1")
        .bind(room.id)
        .first<{ startedAt: number | null; trackId: string | null }>();
    await expect.poll(live).toEqual({ startedAt: started.startedAt, trackId: track.id });
    h.close();
    await h.waitClosed();
    await sleep(50);
    // Not yet: an alarm before the empty period is over keeps the party.
    await runDurableObjectAlarm(roomStub(env, room.id));
    const early = await connect(host, room.id);
    expect((await early.hello()).party?.version).toBe(started.version);
    early.close();
    await early.waitClosed();
    await sleep(350);
    await runDurableObjectAlarm(roomStub(env, room.id));
    const after = await connect(host, room.id);
    expect((await after.hello()).party).toBeNull();
    await expect.poll(live).toEqual({ startedAt: null, trackId: null });
    after.close();
  });

  it("refuses a track some member may not hear, also when accepting a suggestion", async () => {
    const [owner, guest] = [await registerUser(), await registerUser()];
    const open = await createTrack(owner, { title: "Open" });
    const secret = await createTrack(owner, { title: "Secret", visibility: "private" });
    const room = await createRoom(owner, "private");
    const o = await connect(owner, room.id);
    // Alone in a private room, the owner may play their private track.
    stateOf(await party(o, "start", { trackId: secret.id }));
    stateOf(await party(o, "suggest", { trackId: secret.id }));
    await invite(owner, room.id, guest);
    const g = await connect(guest, room.id);
    expect(await party(o, "load", { trackId: secret.id })).toEqual({ error: "track_not_visible" });
    expect(await party(o, "queue_add", { trackId: secret.id })).toEqual({ error: "track_not_visible" });
    expect(await party(o, "accept", { trackId: secret.id })).toEqual({ error: "track_not_visible" });
    expect(await party(g, "suggest", { trackId: secret.id })).toEqual({ error: "track_not_visible" });
    expect(await party(o, "load", { trackId: "no-such-track" })).toEqual({ error: "track_not_visible" });
    expect(stateOf(await party(o, "load", { trackId: open.id })).trackId).toBe(open.id);
    o.close();
    g.close();
  });

  it("takes suggestions, and skips the current track when a majority of those present votes", async () => {
    const users = await Promise.all([1, 2, 3, 4].map(() => registerUser()));
    const [a, b, c] = await Promise.all([1, 2, 3].map((n) => createTrack(users[0]!, { title: `T${n}` })));
    const room = await createRoom(users[0]!);
    const clients = [];
    for (const user of users) clients.push(await connect(user, room.id));
    const [host, g1, g2] = clients as [(typeof clients)[0], (typeof clients)[0], (typeof clients)[0]];
    stateOf(await party(host, "start", { trackId: a!.id }));
    const suggested = stateOf(await party(g1, "suggest", { trackId: b!.id }));
    expect(suggested.suggestions).toEqual([{ trackId: b!.id, userId: users[1]!.id }]);
    stateOf(await party(g2, "suggest", { trackId: c!.id }));
    stateOf(await party(host, "dismiss", { trackId: c!.id }));
    const accepted = stateOf(await party(host, "accept", { trackId: b!.id }));
    expect(accepted.queue).toEqual([b!.id]);
    expect(accepted.suggestions).toEqual([]);
    // Four present: two votes are not a majority, three are.
    expect(stateOf(await party(g1, "vote_skip")).skipVotes).toEqual([users[1]!.id]);
    expect(stateOf(await party(g1, "vote_skip")).skipVotes).toHaveLength(1);
    expect(stateOf(await party(g2, "vote_skip")).trackId).toBe(a!.id);
    const skipped = stateOf(await party(host, "vote_skip"));
    expect(skipped).toMatchObject({ trackId: b!.id, queue: [], skipVotes: [], positionMs: 0 });
    for (const client of clients) client.close();
  });

  it("lists live parties the caller may enter", async () => {
    const [owner, outsider, banned] = [await registerUser(), await registerUser(), await registerUser()];
    const track = await createTrack(owner, { title: "Live tune", artist: "The Hosts" });
    const open = await createRoom(owner, "public", "Open party");
    const closed = await createRoom(owner, "private", "Closed party");
    const quiet = await createRoom(owner, "public", "No party");
    const [o1, o2, o3] = [
      await connect(owner, open.id),
      await connect(owner, closed.id),
      await connect(owner, quiet.id),
    ];
    stateOf(await party(o1, "start", { trackId: track.id }));
    stateOf(await party(o2, "start"));
    await call("POST", `/api/v1/rooms/${open.id}/bans`, { token: owner.token, body: { userId: banned.id } });
    const liveFor = async (user: { token: string }) => {
      const response = await call("GET", "/api/v1/parties/live", { token: user.token });
      expect(response.status).toBe(200);
      return ((await json(response)).items as { roomId: string }[]).filter((i) =>
        [open.id, closed.id, quiet.id].includes(i.roomId),
      );
    };
    await expect.poll(async () => (await liveFor(owner)).length).toBe(2);
    expect((await liveFor(owner)).find((i) => i.roomId === open.id)).toMatchObject({
      name: "Open party",
      kind: "public",
      track: { id: track.id, title: "Live tune", artist: "The Hosts" },
    });
    expect((await liveFor(outsider)).map((i) => i.roomId)).toEqual([open.id]);
    expect(await liveFor(banned)).toEqual([]);
    expect(await party(o1, "end")).toEqual({ state: null });
    await expect.poll(async () => (await liveFor(outsider)).length).toBe(0);
    const anonymous = await call("GET", "/api/v1/parties/live");
    expect(anonymous.status).toBe(401);
    expectErrorEnvelope(await json(anonymous), "unauthenticated");
    for (const client of [o1, o2, o3]) client.close();
  });
});
