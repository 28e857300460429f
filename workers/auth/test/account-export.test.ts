import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import {
  albumWithCover,
  chat,
  comment,
  createRoom,
  follow,
  like,
  ok,
  openDm,
  play,
  playlistWith,
  trackWithMedia,
} from "./account-data-fixtures.ts";

describe("GET /api/v1/me/export", () => {
  it("is an attachment holding everything about the user, and nobody else's messages or secrets", async () => {
    const alice = await registerUser({ displayName: "Alice Export" });
    const bob = await registerUser();
    const mine = await trackWithMedia(alice, "Alice's song");
    const album = await albumWithCover(alice, [mine.id]);
    const bobs = await createTrack(bob, { title: "Bob's song" });
    await like(alice, bobs.id);
    await follow(alice, bob.username);
    await follow(bob, alice.username);
    await comment(alice, bobs.id, "lovely bridge");
    await comment(bob, bobs.id, "thanks, says bob");
    await playlistWith(alice, "Road trip", [bobs.id, mine.id]);
    await play(alice, bobs.id, 95_000);
    const room = await createRoom(bob, "public", "Lobby");
    await chat(alice, room.id, "hello from alice", "second line from alice");
    await chat(bob, room.id, "bob was here");
    const dm = await openDm(alice, bob.username);
    await chat(alice, dm, "psst, a DM from alice");
    await chat(bob, dm, "a DM reply from bob");
    const appPassword = await ok(
      await call("POST", "/api/v1/me/app-passwords", { token: alice.token, body: { name: "My phone" } }),
      201,
    );

    const response = await call("GET", "/api/v1/me/export", { token: alice.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="veza-export-${alice.username}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    const text = await response.text();
    expect(text).not.toContain(appPassword.password);
    expect(text).not.toContain("bob was here");
    expect(text).not.toContain("a DM reply from bob");
    expect(text).not.toContain("thanks, says bob");
    const archive = JSON.parse(text);

    expect(archive).toMatchObject({ format: "veza-account-export", version: 1 });
    expect(archive.profile).toMatchObject({
      id: alice.id,
      username: alice.username,
      email: alice.email,
      displayName: "Alice Export",
      followerCount: 1,
      followingCount: 1,
    });
    expect(archive.sessions.length).toBeGreaterThan(0);
    expect(archive.sessions[0]).toMatchObject({ method: "password", active: true });
    expect(archive.signInProviders).toEqual([]);
    expect(archive.connectedApps.appPasswords).toEqual([
      expect.objectContaining({ id: appPassword.id, name: "My phone" }),
    ]);
    expect(archive.tracks).toEqual([
      expect.objectContaining({
        id: mine.id,
        title: "Alice's song",
        albumId: album,
        media: {
          original: `/api/v1/tracks/${mine.id}/stream?quality=original`,
          cover: `/api/v1/tracks/${mine.id}/cover`,
        },
      }),
    ]);
    expect(archive.albums).toEqual([expect.objectContaining({ id: album, trackIds: [mine.id] })]);
    expect(archive.playlists).toEqual([
      expect.objectContaining({
        title: "Road trip",
        items: [
          expect.objectContaining({ position: 0, trackId: bobs.id, title: "Bob's song" }),
          expect.objectContaining({ position: 1, trackId: mine.id }),
        ],
      }),
    ]);
    expect(archive.likes).toEqual([expect.objectContaining({ trackId: bobs.id, title: "Bob's song" })]);
    expect(archive.following).toEqual([expect.objectContaining({ username: bob.username })]);
    expect(archive.listeningHistory).toEqual([expect.objectContaining({ trackId: bobs.id, listenedMs: 95_000 })]);
    expect(archive.comments).toEqual([expect.objectContaining({ trackId: bobs.id, body: "lovely bridge" })]);
    expect(archive.chatRooms).toEqual([
      expect.objectContaining({
        roomId: room.id,
        name: "Lobby",
        messages: [
          expect.objectContaining({ body: "hello from alice" }),
          expect.objectContaining({ body: "second line from alice" }),
        ],
      }),
    ]);
    expect(archive.directMessages).toEqual([
      expect.objectContaining({
        roomId: dm,
        with: bob.username,
        messages: [expect.objectContaining({ body: "psst, a DM from alice" })],
      }),
    ]);
  });

  it("keeps the user's own likes and listens of a track made private since, without its title", async () => {
    const user = await registerUser();
    const artist = await registerUser();
    const track = await createTrack(artist, { title: "Soon a secret" });
    await like(user, track.id);
    await play(user, track.id);
    await env.DB.prepare("UPDATE tracks SET visibility = 'private' WHERE id = ?1").bind(track.id).run();
    const text = await (await call("GET", "/api/v1/me/export", { token: user.token })).text();
    expect(text).not.toContain("Soon a secret");
    const archive = JSON.parse(text);
    expect(archive.likes).toEqual([expect.objectContaining({ trackId: track.id, title: null, artist: null })]);
    expect(archive.listeningHistory).toEqual([expect.objectContaining({ trackId: track.id, title: null })]);
  });

  it("pages through lists longer than one read", async () => {
    const user = await registerUser();
    const other = await registerUser();
    const now = Date.now();
    const ids = Array.from({ length: 230 }, (_, i) => `many-${crypto.randomUUID()}-${i}`);
    // 230 listens: more than one page of the export's reads.
    await env.DB.batch(
      ids.flatMap((id, i) => [
        env.DB.prepare(
          "INSERT INTO tracks (id, owner_id, title, artist, visibility, status, created_at, updated_at) VALUES (?1, ?2, ?3, 'x', 'public', 'ready', ?4, ?4)",
        ).bind(id, other.id, `Many ${i}`, now),
        env.DB.prepare(
          "INSERT INTO plays (id, track_id, user_id, listener_key, listened_ms, created_at) VALUES (?1, ?2, ?3, ?4, 31000, ?5)",
        ).bind(`play-${id}`, id, user.id, `u:${user.id}`, now),
      ]),
    );
    const archive = await json(await call("GET", "/api/v1/me/export", { token: user.token }));
    expect(archive.listeningHistory).toHaveLength(230);
    expect(new Set(archive.listeningHistory.map((p: { trackId: string }) => p.trackId)).size).toBe(230);
  });

  it("needs a signed-in user and is rate limited with Retry-After", async () => {
    expect((await call("GET", "/api/v1/me/export")).status).toBe(401);
    const user = await registerUser();
    for (let i = 0; i < 5; i++) {
      const response = await call("GET", "/api/v1/me/export", { token: user.token });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const limited = await call("GET", "/api/v1/me/export", { token: user.token });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expectErrorEnvelope(await json(limited), "rate_limited");
  });
});
