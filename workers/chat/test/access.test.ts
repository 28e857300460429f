import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { issueTicket } from "../../auth/tickets.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { roomTicketPurpose } from "../connect-routes.ts";
import { connect, createRoom, say, ticketFor, upgrade } from "./fixtures.ts";

describe("room tickets and the WebSocket upgrade", () => {
  it("refuses a missing, forged, reused, expired or other-room ticket before any socket opens", async () => {
    const alice = await registerUser();
    const room = await createRoom(alice);
    const other = await createRoom(alice);

    const missing = await upgrade(room.id, "");
    expect(missing.status).toBe(401);
    expectErrorEnvelope(await json(missing), "unauthenticated");

    const ticket = await ticketFor(alice, room.id);
    const [body, signature] = ticket.split(".");
    const forged = await upgrade(room.id, `ticket=${body}.${signature?.slice(0, -3)}abc`);
    expect(forged.status).toBe(401);
    expect(forged.webSocket).toBeNull();

    const first = await upgrade(room.id, `ticket=${ticket}`);
    expect(first.status).toBe(101);
    first.webSocket?.accept();
    const reused = await upgrade(room.id, `ticket=${ticket}`);
    expect(reused.status).toBe(401);
    expectErrorEnvelope(await json(reused), "ticket_used");
    first.webSocket?.close();

    const otherRoom = await upgrade(other.id, `ticket=${await ticketFor(alice, room.id)}`);
    expect(otherRoom.status).toBe(401);

    const expired = await issueTicket(env, roomTicketPurpose(room.id), alice.id, Date.now() - 31_000);
    expect((await upgrade(room.id, `ticket=${expired}`)).status).toBe(401);

    const plain = await call("GET", `/api/v1/rooms/${room.id}/ws?ticket=${await ticketFor(alice, room.id)}`);
    expect(plain.status).toBe(426);
  });

  it("keeps DMs private: a third user can neither see the room nor get a ticket", async () => {
    const [alice, bob, eve] = [await registerUser(), await registerUser(), await registerUser()];
    const created = await call("POST", `/api/v1/dms/${bob.username}`, { token: alice.token });
    expect(created.status).toBe(201);
    const dm = await json(created);
    expect(dm).toMatchObject({ kind: "dm", dmWith: { id: bob.id } });

    const fromBob = await call("POST", `/api/v1/dms/${alice.username}`, { token: bob.token });
    expect(fromBob.status).toBe(200);
    expect((await json(fromBob)).id).toBe(dm.id);

    expect((await call("POST", `/api/v1/rooms/${dm.id}/ticket`, { token: eve.token })).status).toBe(404);
    expect((await call("GET", `/api/v1/rooms/${dm.id}`, { token: eve.token })).status).toBe(404);
    expect((await call("GET", `/api/v1/rooms/${dm.id}/messages`, { token: eve.token })).status).toBe(404);
    // Even with a validly signed ticket for the room (never issued to her), Eve is refused at the door.
    const stolen = await issueTicket(env, roomTicketPurpose(dm.id), eve.id);
    expect((await upgrade(dm.id, `ticket=${stolen}`)).status).toBe(404);
    const list = await json(await call("GET", "/api/v1/rooms?limit=100", { token: eve.token }));
    expect(list.items.map((r: { id: string }) => r.id)).not.toContain(dm.id);

    const a = await connect(alice, dm.id);
    const b = await connect(bob, dm.id);
    const sent = await say(a, "just us");
    await b.next("message", (f) => f.message.id === sent.id);
    a.close();
    b.close();
  });

  it("lets nobody DM across a block, and a block closes the open DM", async () => {
    const [alice, bob] = [await registerUser(), await registerUser()];
    const dm = await json(await call("POST", `/api/v1/dms/${bob.username}`, { token: alice.token }));
    const a = await connect(alice, dm.id);
    const blocked = await call("POST", `/api/v1/users/${alice.username}/block`, { token: bob.token });
    expect(blocked.status).toBe(200);
    await a.waitClosed();
    for (const [from, to] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const refused = await call("POST", `/api/v1/dms/${to.username}`, { token: from.token });
      expect(refused.status).toBe(403);
      expectErrorEnvelope(await json(refused), "blocked");
    }
    expect((await call("POST", `/api/v1/rooms/${dm.id}/ticket`, { token: alice.token })).status).toBe(403);
    await call("DELETE", `/api/v1/users/${alice.username}/block`, { token: bob.token });
    expect((await call("POST", `/api/v1/dms/${bob.username}`, { token: alice.token })).status).toBe(200);
    expect((await call("POST", `/api/v1/dms/${alice.username}`, { token: alice.token })).status).toBe(400);
  });

  it("lets only invited users into a private room, once they accept", async () => {
    const [owner, guest, stranger] = [await registerUser(), await registerUser(), await registerUser()];
    const room = await createRoom(owner, "private", "Secret");
    expect((await call("POST", `/api/v1/rooms/${room.id}/ticket`, { token: guest.token })).status).toBe(404);

    const byStranger = await call("POST", `/api/v1/rooms/${room.id}/invites`, {
      token: stranger.token,
      body: { username: guest.username },
    });
    expect(byStranger.status).toBe(404);

    const invited = await call("POST", `/api/v1/rooms/${room.id}/invites`, {
      token: owner.token,
      body: { username: guest.username },
    });
    expect(invited.status).toBe(201);
    const pending = await json(await call("GET", "/api/v1/me/invites", { token: guest.token }));
    expect(pending.items).toHaveLength(1);
    expect(pending.items[0]).toMatchObject({ room: { id: room.id, name: "Secret" }, invitedBy: { id: owner.id } });
    // Invited is not yet a member.
    expect((await call("POST", `/api/v1/rooms/${room.id}/ticket`, { token: guest.token })).status).toBe(404);
    expect((await call("POST", `/api/v1/rooms/${room.id}/invites/accept`, { token: stranger.token })).status).toBe(404);

    const accepted = await call("POST", `/api/v1/rooms/${room.id}/invites/accept`, { token: guest.token });
    expect(accepted.status).toBe(200);
    expect((await json(accepted)).myRole).toBe("member");
    const o = await connect(owner, room.id);
    const g = await connect(guest, room.id);
    const hi = await say(o, `welcome @${guest.username}`);
    expect(hi.mentions).toEqual([guest.id]);
    await g.next("message", (f) => f.message.id === hi.id);
    expect((await call("POST", `/api/v1/rooms/${room.id}/ticket`, { token: stranger.token })).status).toBe(404);
    const again = await call("POST", `/api/v1/rooms/${room.id}/invites`, {
      token: owner.token,
      body: { username: guest.username },
    });
    expect(again.status).toBe(409);
    o.close();
    g.close();
  });
});
