import { evictDurableObject, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";
import type { ChatRoom } from "../chat-room.ts";
import { MAX_FRAME_BYTES } from "../protocol.ts";
import { roomStub } from "../room-stub.ts";
import { clientId, connect, createRoom, say } from "./fixtures.ts";

describe("room messaging", () => {
  it("delivers every message to every client in one order, stored before the ack", async () => {
    const users = await Promise.all([registerUser(), registerUser(), registerUser(), registerUser()]);
    const room = await createRoom(users[0]!);
    const clients = await Promise.all(users.map((u) => connect(u, room.id)));
    const perClient = 10;
    // Everyone sends at once, interleaved.
    for (let i = 0; i < perClient; i++) {
      for (const [n, client] of clients.entries())
        client.send({ type: "send", clientId: `u${n}-m${i}`, body: `${n}:${i}` });
    }
    const total = perClient * clients.length;
    for (const client of clients) {
      await client.next("message", () => client.frames.filter((f) => f.type === "message").length >= total);
    }
    const orders = clients.map((client) => client.frames.flatMap((f) => (f.type === "message" ? [f.message.seq] : [])));
    for (const order of orders) {
      expect(order).toHaveLength(total);
      expect(order).toEqual(orders[0]);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
    // Each sender's own messages keep the order they were sent in.
    const bodies = clients[0]!.frames.flatMap((f) => (f.type === "message" ? [f.message.body] : []));
    for (let n = 0; n < clients.length; n++) {
      expect(bodies.filter((b) => b.startsWith(`${n}:`))).toEqual(
        Array.from({ length: perClient }, (_, i) => `${n}:${i}`),
      );
    }
    // Every acked message is in storage.
    const page = await roomStub(env, room.id).messagesPage(undefined, 100);
    expect(page.messages.map((m) => m.seq)).toEqual(orders[0]);
    for (const client of clients) client.close();
  });

  it("a reconnect with `since` gets exactly what it missed: nothing lost, nothing twice", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    let b = await connect(bob, room.id);
    const seen = [await say(a, "one"), await say(a, "two")];
    await b.next("message", (f) => f.message.id === seen[1]!.id);
    const lastSeen = b.messages().at(-1)!.id;
    b.close();
    const missed = [await say(a, "three"), await say(a, "four"), await say(a, "five")];
    b = await connect(bob, room.id, lastSeen);
    const hello = await b.hello();
    expect(hello.messages.map((m) => m.body)).toEqual(["three", "four", "five"]);
    expect(hello.messages.map((m) => m.id)).toEqual(missed.map((m) => m.id));
    const after = await say(a, "six");
    await b.next("message", (f) => f.message.id === after.id);
    const ids = b.messages().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    a.close();
    b.close();
  });

  it("a reconnect with `updatedSince` gets the final state of what changed while away, nothing twice", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    let b = await connect(bob, room.id);
    const [kept, toEdit, toDelete, toReact] = [
      await say(a, "untouched"),
      await say(a, "typo"),
      await say(a, "regret"),
      await say(a, "nice"),
    ];
    // Bob reacts while connected: his view holds it, with the message's update number.
    b.send({ type: "react", messageId: toReact!.id, emoji: "🎵" });
    const reacted = await b.next("reaction", (f) => f.messageId === toReact!.id);
    expect(reacted.updatedSeq).toBeGreaterThan(toReact!.updatedSeq);
    const seenUpdate = Math.max(reacted.updatedSeq, ...b.messages().map((m) => m.updatedSeq));
    b.close();

    // While Bob is away: an edit, a delete, a reaction added and his own taken back, a new message.
    a.send({ type: "edit", messageId: toEdit!.id, body: "fixed" });
    await a.next("edited", (f) => f.message.id === toEdit!.id);
    a.send({ type: "delete", messageId: toDelete!.id });
    await a.next("deleted", (f) => f.message.id === toDelete!.id);
    a.send({ type: "react", messageId: toReact!.id, emoji: "🔥" });
    await a.next("reaction", (f) => f.messageId === toReact!.id && "🔥" in f.reactions);
    const fresh = await say(a, "while you were away");

    b = await connect(bob, room.id, { updatedSince: seenUpdate });
    const hello = await b.hello();
    expect(hello.fresh).toBe(false);
    // The untouched message is not sent again; each changed one comes once, in its final state.
    expect(hello.messages.map((m) => m.id)).toEqual([toEdit!.id, toDelete!.id, toReact!.id, fresh.id]);
    const byId = new Map(hello.messages.map((m) => [m.id, m]));
    expect(byId.get(toEdit!.id)).toMatchObject({ body: "fixed", editedAt: expect.any(String) });
    expect(byId.get(toDelete!.id)).toMatchObject({ body: "", deletedAt: expect.any(String) });
    expect(byId.get(toReact!.id)!.reactions).toEqual({ "🎵": [bob.id], "🔥": [alice.id] });
    expect(hello.messages.some((m) => m.id === kept!.id)).toBe(false);
    // The catch-up equals the room's own state of those messages.
    const stored = await roomStub(env, room.id).messagesPage(undefined, 100);
    for (const message of hello.messages) expect(stored.messages.find((m) => m.id === message.id)).toEqual(message);

    // Reconnecting with the newest update number seen gets nothing more.
    b.close();
    const newest = Math.max(...hello.messages.map((m) => m.updatedSeq));
    b = await connect(bob, room.id, { updatedSince: newest });
    expect((await b.hello()).messages).toEqual([]);
    a.close();
    b.close();
  });

  it("gives messages of a room stored before update numbers existed one, so their catch-up still works", async () => {
    const alice = await registerUser();
    const room = await createRoom(alice);
    await runInDurableObject(roomStub(env, room.id), (_instance: ChatRoom, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP INDEX IF EXISTS messages_updated_seq_idx");
      sql.exec("DROP TABLE messages");
      sql.exec(`CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL, display_name TEXT NOT NULL,
        body TEXT NOT NULL, reply_to TEXT, mentions TEXT, share TEXT, created_at INTEGER NOT NULL,
        edited_at INTEGER, deleted_at INTEGER, UNIQUE (user_id, client_id))`);
      sql.exec(
        "INSERT INTO messages (id, client_id, user_id, username, display_name, body, created_at) VALUES ('old1', 'c', ?, ?, ?, 'from before', 0)",
        alice.id,
        alice.username,
        alice.username,
      );
    });
    await evictDurableObject(roomStub(env, room.id));
    const a = await connect(alice, room.id);
    const [old] = (await a.hello()).messages;
    expect(old).toMatchObject({ id: "old1", updatedSeq: old!.seq });
    const next = await say(a, "after the upgrade");
    expect(next.updatedSeq).toBeGreaterThan(old!.updatedSeq);
    a.close();
  });

  it("refuses an `updatedSince` that is not an update number", async () => {
    const alice = await registerUser();
    const room = await createRoom(alice);
    await expect(connect(alice, room.id, { updatedSince: -1 })).rejects.toThrow(/upgrade refused: 400/);
  });

  it("a resend with the same clientId returns the original and broadcasts nothing", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    const b = await connect(bob, room.id);
    const id = clientId();
    a.send({ type: "send", clientId: id, body: "only once" });
    const first = await a.next("ack", (f) => f.clientId === id);
    const from = a.frames.length;
    a.send({ type: "send", clientId: id, body: "only once (resent)" });
    const second = await a.next("ack", (f) => f.clientId === id, from);
    expect(second.duplicate).toBe(true);
    expect(second.message).toEqual(first.message);
    const marker = await say(a, "after");
    await b.next("message", (f) => f.message.id === marker.id);
    expect(b.messages().filter((m) => m.clientId === id)).toHaveLength(1);
    // The same clientId from another user is a different message.
    b.send({ type: "send", clientId: id, body: "bob's own" });
    const bobs = await b.next("ack", (f) => f.clientId === id);
    expect(bobs.message.id).not.toBe(first.message.id);
    a.close();
    b.close();
  });

  it("keeps members, history and sockets when the object is evicted between messages", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    const b = await connect(bob, room.id);
    const before = await say(a, "before eviction");
    await evictDurableObject(roomStub(env, room.id));
    const after = await say(b, `after eviction @${alice.username}`);
    expect(after.seq).toBeGreaterThan(before.seq);
    expect(after.mentions).toEqual([alice.id]);
    await a.next("message", (f) => f.message.id === after.id);
    const fresh = await connect(bob, room.id);
    const hello = await fresh.hello();
    expect(hello.messages.map((m) => m.body)).toEqual(["before eviction", `after eviction @${alice.username}`]);
    expect(hello.online.map((u) => u.id).sort()).toEqual([alice.id, bob.id].sort());
    for (const c of [a, b, fresh]) c.close();
  });

  it("answers replies, edits, deletes and reactions, and refuses them from the wrong user", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    const b = await connect(bob, room.id);
    const original = await say(b, "bob speaks");
    const reply = await say(a, "alice answers", { replyTo: original.id });
    expect(reply.replyTo).toBe(original.id);

    let from = a.frames.length;
    a.send({ type: "edit", messageId: original.id, body: "hijacked" });
    expect((await a.next("error", () => true, from)).code).toBe("forbidden");

    b.send({ type: "edit", messageId: original.id, body: "bob edits" });
    const edited = await a.next("edited");
    expect(edited.message).toMatchObject({ id: original.id, body: "bob edits" });
    expect(edited.message.editedAt).toBeTruthy();

    from = b.frames.length;
    b.send({ type: "delete", messageId: reply.id });
    expect((await b.next("error", () => true, from)).code).toBe("forbidden");

    b.send({ type: "react", messageId: reply.id, emoji: "🔥" });
    const reaction = await a.next("reaction");
    expect(reaction.reactions).toEqual({ "🔥": [bob.id] });
    b.send({ type: "react", messageId: reply.id, emoji: "🔥" });
    const taken = await a.next("reaction", (f) => Object.keys(f.reactions).length === 0);
    expect(taken.messageId).toBe(reply.id);

    // Alice owns the room: she may delete Bob's message.
    a.send({ type: "delete", messageId: original.id });
    const deleted = await b.next("deleted");
    expect(deleted.message).toMatchObject({ id: original.id, body: "" });
    expect(deleted.message.deletedAt).toBeTruthy();
    a.close();
    b.close();
  });

  it("answers malformed frames with an error and changes nothing", async () => {
    const alice = await registerUser();
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    const cases: [unknown, string][] = [
      ["{not json", "invalid_frame"],
      [JSON.stringify({ type: "send", clientId: "x", body: "y".repeat(MAX_FRAME_BYTES) }), "frame_too_large"],
      [{ type: "shout", body: "hi" }, "unknown_type"],
      [{ body: "no type" }, "unknown_type"],
      [{ type: "send", body: "no clientId" }, "invalid_frame"],
      [{ type: "send", clientId: "x", body: "z".repeat(4001) }, "invalid_frame"],
      [{ type: "edit", messageId: "nope", body: "x" }, "not_found"],
      [{ type: "send", clientId: "empty", body: "   " }, "empty_message"],
    ];
    for (const [frame, code] of cases) {
      const from = a.frames.length;
      a.send(frame);
      expect((await a.next("error", () => true, from)).code).toBe(code);
    }
    const ok = await say(a, "still here");
    expect(ok.seq).toBe(1);
    const page = await roomStub(env, room.id).messagesPage(undefined, 10);
    expect(page.messages.map((m) => m.body)).toEqual(["still here"]);
    a.close();
  });

  it("rate-limits a fast sender with an error frame and keeps the socket open", async () => {
    const alice = await registerUser();
    const room = await createRoom(alice);
    const a = await connect(alice, room.id);
    for (let i = 0; i < 25; i++) a.send({ type: "send", clientId: `fast-${i}`, body: `m${i}` });
    const limited = await a.next("error", (f) => f.code === "rate_limited");
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    await a.next("ack", (f) => f.clientId === "fast-19");
    expect(a.frames.filter((f) => f.type === "ack")).toHaveLength(20);
    expect(a.frames.filter((f) => f.type === "error" && f.code === "rate_limited")).toHaveLength(5);
    expect(a.closed).toBeUndefined();
    const from = a.frames.length;
    a.send({ type: "history" });
    expect((await a.next("history", () => true, from)).messages).toHaveLength(20);
    a.close();
  });

  it("counts several tabs of one user once, and prunes a socket that stopped pinging", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    const a1 = await connect(alice, room.id);
    const a2 = await connect(alice, room.id);
    const b = await connect(bob, room.id);
    expect((await b.hello()).online.map((u) => u.id).sort()).toEqual([alice.id, bob.id].sort());
    a1.close();
    const from = b.frames.length;
    // One of Alice's tabs left: she is still online, so nobody hears of it.
    await say(b, "marker");
    expect(b.frames.slice(from).some((f) => f.type === "presence")).toBe(false);

    // Bob's and Alice's remaining sockets go silent for longer than the stale limit.
    await ageSockets(room.id);
    expect(await runDurableObjectAlarm(roomStub(env, room.id))).toBe(true);
    expect((await a2.waitClosed()).code).toBe(4008);
    expect((await b.waitClosed()).code).toBe(4008);
  });

  it("sends DM messages and mentions to the live channel of members who are not in the room", async () => {
    const [alice, bob, carol] = [await registerUser(), await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    // Carol joins (ticket) but is not connected.
    await connect(carol, room.id).then((c) => c.close());
    const live = await liveChannel(carol);
    const a = await connect(alice, room.id);
    await say(a, `hello @${carol.username} and @${bob.username}`);
    const event = await vi.waitFor(
      () => {
        const found = live.events.find((e) => e.type === "notification");
        if (!found) throw new Error("no notification yet");
        return found;
      },
      { timeout: 5_000 },
    );
    expect(event.notification).toMatchObject({ type: "mention", room: { id: room.id }, actors: [{ id: alice.id }] });
    a.close();
  });
});

/** Makes every socket in the room look as if it connected, and last pinged, ten minutes ago. */
async function ageSockets(roomId: string) {
  await runInDurableObject(roomStub(env, roomId), (_instance: ChatRoom, state) => {
    for (const socket of state.getWebSockets()) {
      const info = socket.deserializeAttachment();
      if (info) socket.serializeAttachment({ ...info, connectedAt: Date.now() - 10 * 60_000 });
    }
  });
}

async function liveChannel(user: TestUser) {
  const ticket = (await json(await call("POST", "/api/v1/me/events/ticket", { token: user.token }))).ticket;
  const response = await SELF.fetch(`https://veza.test/api/v1/me/events?ticket=${encodeURIComponent(ticket)}`, {
    headers: { upgrade: "websocket" },
  });
  const socket = response.webSocket as WebSocket;
  socket.accept();
  const events: any[] = [];
  socket.addEventListener("message", (e) => {
    events.push(JSON.parse(String(e.data)));
  });
  return { socket, events };
}
