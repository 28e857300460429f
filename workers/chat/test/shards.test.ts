import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, registerUser } from "../../test/http.ts";
import { CLOSE_BANNED } from "../protocol.ts";
import { roomStub } from "../room-stub.ts";
import { connect, createRoom, say } from "./fixtures.ts";

// The tests run with CHAT_SHARD_THRESHOLD=3: a room holds three sockets itself, and shards of
// three hold the rest.
describe("a room past its socket threshold", () => {
  it("spreads sockets over shards and keeps one order for everyone", async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => registerUser()));
    const room = await createRoom(users[0]!);
    const clients = [];
    for (const user of users) clients.push(await connect(user, room.id));
    const shardSockets = await roomStub(env, room.id).shardSocketCount();
    expect(shardSockets).toBe(5);

    for (let i = 0; i < 5; i++) {
      for (const [n, client] of clients.entries())
        client.send({ type: "send", clientId: `s${n}-${i}`, body: `${n}:${i}` });
    }
    const total = 5 * clients.length;
    for (const client of clients) {
      await client.next("message", () => client.frames.filter((f) => f.type === "message").length >= total);
    }
    const orders = clients.map((c) => c.frames.flatMap((f) => (f.type === "message" ? [f.message.id] : [])));
    for (const order of orders) expect(order).toEqual(orders[0]);
    // Everyone sees everyone online, whichever object holds their socket.
    const last = clients.at(-1)!;
    expect(new Set((await last.hello()).online.map((u) => u.id)).size).toBeGreaterThanOrEqual(7);
    for (const client of clients) client.close();
  });

  it("closes a banned user's sockets on a shard at once, and answers a shard socket's frames", async () => {
    const [owner, a, b, troll] = [
      await registerUser(),
      await registerUser(),
      await registerUser(),
      await registerUser(),
    ];
    const room = await createRoom(owner);
    const local = [await connect(owner, room.id), await connect(a, room.id), await connect(b, room.id)];
    const sharded = await connect(troll, room.id);
    expect(await roomStub(env, room.id).shardSocketCount()).toBe(1);

    const from = sharded.frames.length;
    sharded.send({ type: "shout" });
    expect((await sharded.next("error", () => true, from)).code).toBe("unknown_type");
    const said = await say(sharded, "from a shard");
    await local[0]!.next("message", (f) => f.message.id === said.id);

    const banned = await call("POST", `/api/v1/rooms/${room.id}/bans`, {
      token: owner.token,
      body: { userId: troll.id },
    });
    expect(banned.status).toBe(201);
    expect((await sharded.waitClosed()).code).toBe(CLOSE_BANNED);
    expect(await roomStub(env, room.id).shardSocketCount()).toBe(0);
    await local[0]!.next("presence", (f) => !f.online.some((u) => u.id === troll.id));
    for (const client of local) client.close();
  });
});
