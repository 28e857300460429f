import { describe, expect, it, vi } from "vitest";
import { connect, createRoom, say } from "../../chat/test/fixtures.ts";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";
import { inbox, liveChannel, waitForInbox } from "./fixtures.ts";

describe("notifications from chat", () => {
  it("stores a mention and a reply for members who are away, and tells their socket", async () => {
    const [alice, bob, carol] = [await registerUser(), await registerUser(), await registerUser()];
    const room = await createRoom(alice, "public", "Late night");
    // Bob and Carol join the room (a ticket makes them members), then leave it.
    const b = await connect(bob, room.id);
    const bobsMessage = await say(b, "anyone here?");
    b.close();
    await connect(carol, room.id).then((c) => c.close());
    const bobLive = await liveChannel(bob);

    const a = await connect(alice, room.id);
    const reply = await say(a, "yes, hi", { replyTo: bobsMessage.id });
    const mention = await say(a, `@${carol.username} come listen`);

    const event = await bobLive.next("notification");
    expect(event.notification).toMatchObject({
      type: "mention",
      room: { id: room.id, name: "Late night", kind: "public" },
      message: { id: reply.id, preview: "yes, hi", reply: true },
      actors: [{ id: alice.id }],
    });
    expect((await waitForInbox(bob, 1)).items).toEqual([event.notification]);
    const carolsInbox = await waitForInbox(carol, 1);
    expect(carolsInbox.items[0]).toMatchObject({ type: "mention", message: { id: mention.id } });
    expect(carolsInbox.items[0]!.message?.reply).toBeUndefined();
    // The author hears nothing of their own messages.
    expect((await inbox(alice)).items).toEqual([]);
    a.close();
    bobLive.close();
  });

  it("leaves members who are in the room alone", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const room = await createRoom(alice);
    const b = await connect(bob, room.id);
    const a = await connect(alice, room.id);
    await say(a, `@${bob.username} you are right here`);
    // Once Bob has left (Alice sees him go), a second mention does reach his inbox, and only that one.
    const from = a.frames.length;
    b.close();
    await a.next("presence", (f) => !f.online.some((u) => u.id === bob.id), from);
    const marker = await say(a, `@${bob.username} now you are gone`);
    const page = await waitForInbox(bob, 1);
    expect(page.items.map((n) => n.message?.id)).toEqual([marker.id]);
    a.close();
  });

  it("groups the messages of a DM into one notification per conversation", async () => {
    const [alice, bob] = [await registerUser({ displayName: "Alice" }), await registerUser()];
    const dm = await json(await call("POST", `/api/v1/dms/${bob.username}`, { token: alice.token }));
    const a = await connect(alice, dm.id);
    await say(a, "hey");
    await say(a, "are you there?");
    const last = await say(a, "call me");
    const page = await waitForGroupOf(bob, 3);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      type: "dm",
      room: { id: dm.id, kind: "dm" },
      message: { id: last.id, preview: "call me" },
      actors: [{ id: alice.id, displayName: "Alice" }],
      actorCount: 1,
      count: 3,
    });
    expect(page.unreadCount).toBe(1);
    a.close();
  });
});

/** Waits until the first notification of the user's inbox groups `count` events. */
function waitForGroupOf(user: TestUser, count: number) {
  return vi.waitFor(
    async () => {
      const page = await inbox(user);
      if ((page.items[0]?.count ?? 0) < count) throw new Error("not yet");
      return page;
    },
    { timeout: 5_000, interval: 20 },
  );
}
