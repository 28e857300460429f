import { describe, expect, it, vi } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { clientId, connect, createRoom, say } from "./fixtures.ts";

describe("rooms over REST", () => {
  it("creates rooms and validates the body", async () => {
    const alice = await registerUser();
    const created = await call("POST", "/api/v1/rooms", {
      token: alice.token,
      body: { name: "  Jazz  ", kind: "public", topic: "late nights" },
    });
    expect(created.status).toBe(201);
    const room = await json(created);
    expect(room).toMatchObject({
      name: "Jazz",
      kind: "public",
      topic: "late nights",
      owner: { id: alice.id },
      myRole: "owner",
      unreadCount: 0,
      lastMessage: null,
      canModerate: true,
    });
    expect(room.moderators.map((m: { id: string }) => m.id)).toEqual([alice.id]);
    const bad = await call("POST", "/api/v1/rooms", { token: alice.token, body: { name: "", kind: "dm" } });
    expect(bad.status).toBe(400);
    expectErrorEnvelope(await json(bad), "validation_failed");
    expect((await call("POST", "/api/v1/rooms", { body: { name: "x", kind: "public" } })).status).toBe(401);
    expect((await call("GET", "/api/v1/rooms/nope", { token: alice.token })).status).toBe(404);
  });

  it("lists public rooms and mine with the last message and my unread count", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice, "public", "Lobby");
    const secret = await createRoom(alice, "private", "Not for Bob");
    const b = await connect(bob, room.id);
    b.close();
    const a = await connect(alice, room.id);
    await say(a, "one");
    await say(a, "two");
    const last = await say(a, "three");
    const bobsView = await vi.waitFor(
      async () => {
        const list = await json(await call("GET", "/api/v1/rooms?limit=100", { token: bob.token }));
        const lobby = list.items.find((r: { id: string }) => r.id === room.id);
        if (lobby?.lastMessage?.id !== last.id) throw new Error("summary not flushed yet");
        return list;
      },
      { timeout: 5_000, interval: 100 },
    );
    const lobby = bobsView.items.find((r: { id: string }) => r.id === room.id);
    expect(lobby).toMatchObject({ unreadCount: 3, myRole: "member", lastMessage: { body: "three", userId: alice.id } });
    expect(bobsView.items.map((r: { id: string }) => r.id)).not.toContain(secret.id);
    const alicesView = await json(await call("GET", "/api/v1/rooms?limit=100", { token: alice.token }));
    const mine = alicesView.items.find((r: { id: string }) => r.id === room.id);
    expect(mine.unreadCount).toBe(0);
    expect(alicesView.items.map((r: { id: string }) => r.id)).toContain(secret.id);

    // Bob reads up to the last message: his unread count drops to zero.
    const b2 = await connect(bob, room.id);
    b2.send({ type: "read", messageId: last.id });
    await b2.next("read");
    await vi.waitFor(
      async () => {
        const list = await json(await call("GET", "/api/v1/rooms?limit=100", { token: bob.token }));
        if (list.items.find((r: { id: string }) => r.id === room.id)?.unreadCount !== 0) throw new Error("not yet");
      },
      { timeout: 5_000, interval: 100 },
    );
    a.close();
    b2.close();
  });

  it("pages history backwards with `before` and the list envelope", async () => {
    const alice = await registerUser();
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    for (let i = 0; i < 5; i++) {
      a.send({ type: "send", clientId: clientId(), body: `m${i}` });
    }
    await a.next("message", () => a.frames.filter((f) => f.type === "message").length === 5);
    const first = await json(await call("GET", `/api/v1/rooms/${room.id}/messages?limit=2`, { token: alice.token }));
    expect(first.items.map((m: { body: string }) => m.body)).toEqual(["m3", "m4"]);
    const second = await json(
      await call("GET", `/api/v1/rooms/${room.id}/messages?limit=2&before=${first.nextCursor}`, { token: alice.token }),
    );
    expect(second.items.map((m: { body: string }) => m.body)).toEqual(["m1", "m2"]);
    const third = await json(
      await call("GET", `/api/v1/rooms/${room.id}/messages?limit=2&before=${second.nextCursor}`, {
        token: alice.token,
      }),
    );
    expect(third).toEqual({ items: [expect.objectContaining({ body: "m0" })], nextCursor: null });
    a.send({ type: "history", before: second.items[0].id, limit: 10 });
    expect((await a.next("history")).messages.map((m) => m.body)).toEqual(["m0"]);
    a.close();
  });

  it("shares a track as a card only if everyone in the room may see it", async () => {
    const [owner, guest] = [await registerUser(), await registerUser()];
    const publicTrack = await createTrack(owner, { title: "Open tune" });
    const privateTrack = await createTrack(owner, { title: "Demo", visibility: "private" });
    const room = await createRoom(owner, "private");
    const o = await connect(owner, room.id);
    // Only the owner is in the room: the private track is fine.
    expect((await say(o, "mine", { share: { kind: "track", id: privateTrack.id } })).share).toMatchObject({
      kind: "track",
      title: "Demo",
    });
    await call("POST", `/api/v1/rooms/${room.id}/invites`, { token: owner.token, body: { username: guest.username } });
    await call("POST", `/api/v1/rooms/${room.id}/invites/accept`, { token: guest.token });
    const id = clientId();
    o.send({ type: "send", clientId: id, body: "look", share: { kind: "track", id: privateTrack.id } });
    expect((await o.next("error", (f) => f.clientId === id)).code).toBe("share_not_visible");
    const shared = await say(o, "listen", { share: { kind: "track", id: publicTrack.id } });
    expect(shared.share).toMatchObject({ kind: "track", id: publicTrack.id, title: "Open tune" });
    o.close();
  });
});
