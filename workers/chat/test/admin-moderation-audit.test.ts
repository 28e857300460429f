import { describe, expect, it } from "vitest";
import { makeAdmin } from "../../catalog/test/fixtures.ts";
import { call, expectErrorEnvelope, json, registerUser, type TestUser } from "../../test/http.ts";
import { connect, createRoom, say, ticketFor } from "./fixtures.ts";

async function auditOf(admin: TestUser, query: string) {
  const response = await call("GET", `/api/v1/admin/audit?limit=100&${query}`, { token: admin.token });
  expect(response.status).toBe(200);
  return (await json(response)).items as any[];
}

describe("a site admin moderating a room they do not moderate", () => {
  it("must give a reason (400 reason_required) and each action is audited", async () => {
    const admin = await makeAdmin(await registerUser());
    const [owner, member] = [await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    await ticketFor(member, room.id);
    const base = `/api/v1/rooms/${room.id}`;
    const actions: [string, string, unknown, string][] = [
      ["POST", `${base}/moderators`, { userId: member.id }, "room.moderator_add"],
      ["DELETE", `${base}/moderators/${member.id}`, undefined, "room.moderator_remove"],
      ["POST", `${base}/mutes`, { userId: member.id, minutes: 5 }, "room.mute"],
      ["POST", `${base}/kicks`, { userId: member.id }, "room.kick"],
      ["POST", `${base}/bans`, { userId: member.id }, "room.ban"],
      ["DELETE", `${base}/bans/${member.id}`, undefined, "room.unban"],
    ];
    for (const [method, path, body, action] of actions) {
      const refused = await call(method, path, { token: admin.token, body });
      expect(refused.status, `${method} ${path} without a reason`).toBe(400);
      expectErrorEnvelope(await json(refused), "reason_required");
      const done = await call(method, `${path}?reason=${encodeURIComponent(`policy ${action}`)}`, {
        token: admin.token,
        body,
      });
      expect(done.status, `${method} ${path}`).toBeLessThan(300);
      const entries = await auditOf(admin, `targetId=${member.id}&action=${action}`);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: { id: admin.id },
        action,
        targetType: "user",
        targetId: member.id,
        reason: `policy ${action}`,
        details: expect.objectContaining({ roomId: room.id, ownerId: owner.id }),
      });
      // The ban that follows needs the kicked member back in the room.
      if (action === "room.kick") await ticketFor(member, room.id);
    }
  });

  it("accepts the ban's own reason from the body, and audits it", async () => {
    const admin = await makeAdmin(await registerUser());
    const [owner, troll] = [await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    const banned = await call("POST", `/api/v1/rooms/${room.id}/bans`, {
      token: admin.token,
      body: { userId: troll.id, reason: "spam wave" },
    });
    expect(banned.status).toBe(201);
    const [entry] = await auditOf(admin, `targetId=${troll.id}&action=room.ban`);
    expect(entry).toMatchObject({ actor: { id: admin.id }, reason: "spam wave" });
  });

  it("leaves owners and moderators (even admins) acting in their own rooms alone: no reason, no audit", async () => {
    const admin = await makeAdmin(await registerUser());
    const [owner, mod, member] = [await registerUser(), await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    await ticketFor(mod, room.id);
    await ticketFor(member, room.id);
    expect(
      (await call("POST", `/api/v1/rooms/${room.id}/moderators`, { token: owner.token, body: { userId: mod.id } }))
        .status,
    ).toBe(200);
    expect(
      (
        await call("POST", `/api/v1/rooms/${room.id}/mutes`, {
          token: mod.token,
          body: { userId: member.id, minutes: 1 },
        })
      ).status,
    ).toBe(201);
    const adminRoom = await createRoom(admin);
    expect(
      (await call("POST", `/api/v1/rooms/${adminRoom.id}/bans`, { token: admin.token, body: { userId: member.id } }))
        .status,
    ).toBe(201);
    expect(await auditOf(admin, `targetId=${member.id}`)).toEqual([]);
    expect(await auditOf(admin, `targetId=${mod.id}`)).toEqual([]);
  });

  it("deleting someone's message over the socket needs a reason and is audited; own rooms are not", async () => {
    const admin = await makeAdmin(await registerUser());
    const [owner, member] = [await registerUser(), await registerUser()];
    const room = await createRoom(owner);
    const memberSocket = await connect(member, room.id);
    const first = await say(memberSocket, "first");
    const second = await say(memberSocket, "second");
    const adminSocket = await connect(admin, room.id);

    let from = adminSocket.frames.length;
    adminSocket.send({ type: "delete", messageId: first.id });
    expect((await adminSocket.next("error", () => true, from)).code).toBe("reason_required");
    adminSocket.send({ type: "delete", messageId: first.id, reason: "doxxing" });
    await adminSocket.next("deleted", (f) => f.message.id === first.id);
    const [entry] = await auditOf(admin, `targetId=${member.id}&action=room.message_delete`);
    expect(entry).toMatchObject({
      actor: { id: admin.id },
      targetType: "user",
      targetId: member.id,
      reason: "doxxing",
      details: { roomId: room.id, messageId: first.id },
    });

    // The owner deletes in their own room without a reason, and nothing more is recorded.
    const ownerSocket = await connect(owner, room.id);
    from = ownerSocket.frames.length;
    ownerSocket.send({ type: "delete", messageId: second.id });
    await ownerSocket.next("deleted", (f) => f.message.id === second.id, from);
    expect(await auditOf(admin, `targetId=${member.id}`)).toHaveLength(1);
    for (const socket of [memberSocket, adminSocket, ownerSocket]) socket.close();
  });
});
