import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connect } from "../../chat/test/fixtures.ts";
import worker from "../../index.ts";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";
import { keyAuth, restJson, subsonicUser } from "./fixtures.ts";

// vitest.config.ts names this room as the lobby; each test file has its own D1, so it is made here.
const LOBBY = "subsonic-lobby-test";

async function createLobby(owner: TestUser) {
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO rooms (id, kind, name, owner_id, created_at) VALUES (?1, 'public', 'Lobby', ?2, ?3)",
    ).bind(LOBBY, owner.id, now),
    env.DB.prepare(
      "INSERT INTO room_members (room_id, user_id, role, joined_at, last_read_seq) VALUES (?1, ?2, 'owner', ?3, 0)",
    ).bind(LOBBY, owner.id, now),
  ]);
}

describe("Subsonic chat bridge", () => {
  it("sends into the lobby room like any message, lists it since a time, and honours bans and mutes", async () => {
    const owner = await registerUser();
    await createLobby(owner);
    const web = await connect(owner, LOBBY);
    await web.hello();
    const app = await subsonicUser();

    expect(await restJson("getChatMessages", keyAuth(app))).toMatchObject({ status: "ok", chatMessages: {} });
    const before = Date.now() - 1;
    const sent = await restJson("addChatMessage", keyAuth(app), { message: "  hello from the car  " });
    expect(sent.status).toBe("ok");

    // Broadcast to web clients, as the Subsonic user, and stored in the room's history.
    const live = await web.next("message");
    expect(live.message).toMatchObject({ userId: app.id, username: app.username, body: "hello from the car" });
    const history = await json(await call("GET", `/api/v1/rooms/${LOBBY}/messages`, { token: owner.token }));
    expect(history.items.map((m: { id: string }) => m.id)).toEqual([live.message.id]);

    const listed = await restJson("getChatMessages", keyAuth(app), { since: before });
    expect(listed.chatMessages.chatMessage).toEqual([
      { username: app.username, time: Date.parse(live.message.createdAt), message: "hello from the car" },
    ]);
    const later = await restJson("getChatMessages", keyAuth(app), { since: Date.parse(live.message.createdAt) });
    expect(later.chatMessages.chatMessage ?? []).toEqual([]);

    const missing = await restJson("addChatMessage", keyAuth(app));
    expect(missing.error.code).toBe(10);
    const empty = await restJson("addChatMessage", keyAuth(app), { message: "   " });
    expect(empty).toMatchObject({ status: "failed", error: { code: 0 } });

    const muted = await subsonicUser();
    await restJson("addChatMessage", keyAuth(muted), { message: "first" });
    const mute = await call("POST", `/api/v1/rooms/${LOBBY}/mutes`, {
      token: owner.token,
      body: { userId: muted.id, minutes: 5 },
    });
    expect(mute.status).toBe(201);
    expect((await restJson("addChatMessage", keyAuth(muted), { message: "still here" })).error.code).toBe(50);

    const ban = await call("POST", `/api/v1/rooms/${LOBBY}/bans`, { token: owner.token, body: { userId: app.id } });
    expect(ban.status).toBe(201);
    expect((await restJson("addChatMessage", keyAuth(app), { message: "let me in" })).error.code).toBe(50);
    expect((await restJson("getChatMessages", keyAuth(app))).error.code).toBe(50);

    const bodies = (await json(await call("GET", `/api/v1/rooms/${LOBBY}/messages`, { token: owner.token }))).items.map(
      (m: { body: string }) => m.body,
    );
    expect(bodies).toEqual(["hello from the car", "first"]);
    web.close();
  });

  it("without a lobby room lists no messages and refuses new ones with error 70", async () => {
    const app = await subsonicUser();
    const noLobby = { ...env, SUBSONIC_LOBBY_ROOM_ID: "" };
    const rest = async (method: string, extra: Record<string, string> = {}) => {
      const query = new URLSearchParams({ v: "1.16.1", c: "veza-tests", f: "json", ...keyAuth(app), ...extra });
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`https://veza.test/rest/${method}.view?${query}`), noLobby, ctx);
      await waitOnExecutionContext(ctx);
      return (await json(response))["subsonic-response"];
    };
    expect(await rest("getChatMessages")).toMatchObject({ status: "ok", chatMessages: {} });
    expect(await rest("addChatMessage", { message: "anyone?" })).toMatchObject({
      status: "failed",
      error: { code: 70 },
    });
  });
});
