import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { CLOSE_BANNED } from "../protocol.ts";
import { clientId, connect, createRoom, say, ticketFor } from "./fixtures.ts";

describe("room moderation", () => {
  it("a ban closes the user's sockets at once and refuses their tickets until lifted", async () => {
    const [owner, troll] = [await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    const tab1 = await connect(troll, room.id);
    const tab2 = await connect(troll, room.id);
    const unusedTicket = await ticketFor(troll, room.id);

    const banned = await call("POST", `/api/v1/rooms/${room.id}/bans`, {
      token: owner.token,
      body: { userId: troll.id, reason: "spam" },
    });
    expect(banned.status).toBe(201);
    expect(await json(banned)).toMatchObject({ roomId: room.id, user: { id: troll.id }, reason: "spam" });
    expect((await tab1.waitClosed()).code).toBe(CLOSE_BANNED);
    expect((await tab2.waitClosed()).code).toBe(CLOSE_BANNED);

    // A ticket issued before the ban is refused at the door.
    const late = await call("GET", `/api/v1/rooms/${room.id}/ws?ticket=${unusedTicket}`, {
      headers: { upgrade: "websocket" },
    });
    expect(late.status).toBe(403);
    const refused = await call("POST", `/api/v1/rooms/${room.id}/ticket`, { token: troll.token });
    expect(refused.status).toBe(403);
    expectErrorEnvelope(await json(refused), "banned");
    const list = await json(await call("GET", "/api/v1/rooms?limit=100", { token: troll.token }));
    expect(list.items.map((r: { id: string }) => r.id)).not.toContain(room.id);

    expect((await call("DELETE", `/api/v1/rooms/${room.id}/bans/${troll.id}`, { token: owner.token })).status).toBe(
      204,
    );
    const back = await connect(troll, room.id);
    await say(back, "sorry");
    back.close();
  });

  it("refuses moderation by users who are not moderators, and of the owner", async () => {
    const [owner, member, other] = [await registerUser(), await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    await ticketFor(member, room.id);
    for (const [path, body] of [
      ["bans", { userId: other.id }],
      ["mutes", { userId: other.id, minutes: 5 }],
      ["kicks", { userId: other.id }],
    ] as const) {
      const response = await call("POST", `/api/v1/rooms/${room.id}/${path}`, { token: member.token, body });
      expect(response.status).toBe(403);
      expectErrorEnvelope(await json(response), "forbidden");
    }
    const banOwner = await call("POST", `/api/v1/rooms/${room.id}/bans`, {
      token: owner.token,
      body: { userId: owner.id },
    });
    expect(banOwner.status).toBe(403);
    const invalid = await call("POST", `/api/v1/rooms/${room.id}/mutes`, {
      token: owner.token,
      body: { userId: other.id, minutes: 0 },
    });
    expect(invalid.status).toBe(400);
  });

  it("a muted user can read but not send until the mute ends; a kick closes their sockets", async () => {
    const [owner, member] = [await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    const o = await connect(owner, room.id);
    const m = await connect(member, room.id);
    const muted = await call("POST", `/api/v1/rooms/${room.id}/mutes`, {
      token: owner.token,
      body: { userId: member.id, minutes: 10 },
    });
    expect(muted.status).toBe(201);
    const id = clientId();
    m.send({ type: "send", clientId: id, body: "can I talk?" });
    expect((await m.next("error", (f) => f.clientId === id)).code).toBe("muted");
    const said = await say(o, "you are muted");
    await m.next("message", (f) => f.message.id === said.id);

    const kicked = await call("POST", `/api/v1/rooms/${room.id}/kicks`, {
      token: owner.token,
      body: { userId: member.id },
    });
    expect(kicked.status).toBe(200);
    expect((await json(kicked)).closedSockets).toBe(1);
    expect((await m.waitClosed()).code).toBe(4004);
    o.close();
  });

  it("a report keeps a copy of the message for admins", async () => {
    const [owner, member] = [await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    const m = await connect(member, room.id);
    const bad = await say(m, "something awful");
    const report = await call("POST", `/api/v1/rooms/${room.id}/messages/${bad.id}/reports`, {
      token: owner.token,
      body: { reason: "abuse" },
    });
    expect(report.status).toBe(201);
    const twice = await call("POST", `/api/v1/rooms/${room.id}/messages/${bad.id}/reports`, {
      token: owner.token,
      body: {},
    });
    expect(twice.status).toBe(409);
    const missing = await call("POST", `/api/v1/rooms/${room.id}/messages/nope/reports`, {
      token: owner.token,
      body: {},
    });
    expect(missing.status).toBe(404);
    expect((await call("GET", "/api/v1/admin/chat-reports", { token: owner.token })).status).toBe(403);
    m.close();
  });

  it("the owner appoints moderators, who may then delete others' messages and mute; nobody else appoints", async () => {
    const [owner, helper, member] = [await registerUser(), await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    const h = await connect(helper, room.id);
    const m = await connect(member, room.id);
    const spam = await say(m, "spam");
    let from = h.frames.length;
    h.send({ type: "delete", messageId: spam.id });
    expect((await h.next("error", () => true, from)).code).toBe("forbidden");

    const byMember = await call("POST", `/api/v1/rooms/${room.id}/moderators`, {
      token: member.token,
      body: { userId: member.id },
    });
    expect(byMember.status).toBe(403);
    const appointed = await call("POST", `/api/v1/rooms/${room.id}/moderators`, {
      token: owner.token,
      body: { userId: helper.id },
    });
    expect(appointed.status).toBe(200);
    expect(await json(appointed)).toEqual({ userId: helper.id, role: "moderator" });
    const info = await json(await call("GET", `/api/v1/rooms/${room.id}`, { token: helper.token }));
    expect(info.canModerate).toBe(true);
    expect(info.moderators.map((p: { id: string }) => p.id).sort()).toEqual([owner.id, helper.id].sort());

    // Already connected: the room learns the new role at once.
    from = m.frames.length;
    h.send({ type: "delete", messageId: spam.id });
    expect((await m.next("deleted", () => true, from)).message.id).toBe(spam.id);
    const muted = await call("POST", `/api/v1/rooms/${room.id}/mutes`, {
      token: helper.token,
      body: { userId: member.id, minutes: 5 },
    });
    expect(muted.status).toBe(201);

    const dismissed = await call("DELETE", `/api/v1/rooms/${room.id}/moderators/${helper.id}`, { token: owner.token });
    expect((await json(dismissed)).role).toBe("member");
    expect(
      (await call("POST", `/api/v1/rooms/${room.id}/kicks`, { token: helper.token, body: { userId: member.id } }))
        .status,
    ).toBe(403);
    h.close();
    m.close();
  });
});
