import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { createTrack, disabledUser, makeAdmin } from "./fixtures.ts";

describe("GET /api/v1/tracks/:id", () => {
  it("returns the track with its owner and counters", async () => {
    const owner = await registerUser({ displayName: "Nina Simone" });
    const track = await createTrack(owner, { title: "Sinnerman", genre: "jazz", tags: ["Live", "piano"] });
    const response = await call("GET", `/api/v1/tracks/${track.id}`);
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      id: track.id,
      title: "Sinnerman",
      artist: "Nina Simone",
      owner: { id: owner.id, username: owner.username, displayName: "Nina Simone" },
      status: "ready",
      durationMs: 180_000,
      visibility: "public",
      genre: "jazz",
      tags: ["live", "piano"],
      coverUrl: null,
      likeCount: 0,
      playCount: 0,
      commentCount: 0,
    });
  });

  it("shows a private track to its owner and an admin only, and unlisted ones to anyone with the id", async () => {
    const owner = await registerUser();
    const stranger = await registerUser();
    const admin = await makeAdmin(await registerUser());
    const hidden = await createTrack(owner, { visibility: "private" });
    const unlisted = await createTrack(owner, { visibility: "unlisted" });
    expect((await call("GET", `/api/v1/tracks/${hidden.id}`)).status).toBe(404);
    expect((await call("GET", `/api/v1/tracks/${hidden.id}`, { token: stranger.token })).status).toBe(404);
    expect((await call("GET", `/api/v1/tracks/${hidden.id}`, { token: owner.token })).status).toBe(200);
    expect((await call("GET", `/api/v1/tracks/${hidden.id}`, { token: admin.token })).status).toBe(200);
    expect((await call("GET", `/api/v1/tracks/${unlisted.id}`)).status).toBe(200);
  });

  it("hides a track that is still processing from everyone but its owner", async () => {
    const owner = await registerUser();
    const processing = await createTrack(owner, { status: "processing" });
    expect((await call("GET", `/api/v1/tracks/${processing.id}`)).status).toBe(404);
    const own = await call("GET", `/api/v1/tracks/${processing.id}`, { token: owner.token });
    expect((await json(own)).status).toBe("processing");
  });

  it("answers an unknown or absurd id with 404/400, never 500", async () => {
    const missing = await call("GET", "/api/v1/tracks/nope");
    expect(missing.status).toBe(404);
    expectErrorEnvelope(await json(missing), "not_found");
    const long = await call("GET", `/api/v1/tracks/${"x".repeat(500)}`);
    expect(long.status).toBe(400);
  });
});

describe("PATCH /api/v1/tracks/:id", () => {
  it("lets the owner edit metadata and visibility", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    const response = await call("PATCH", `/api/v1/tracks/${track.id}`, {
      token: owner.token,
      body: { title: "New title", artist: "Alias", tags: ["A", "a", " b "], visibility: "unlisted", description: "d" },
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      title: "New title",
      artist: "Alias",
      tags: ["a", "b"],
      visibility: "unlisted",
      description: "d",
    });
  });

  it("refuses another user (403), no token (401), a disabled user (401) and bad input (400)", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const disabled = await disabledUser();
    const track = await createTrack(owner);
    const path = `/api/v1/tracks/${track.id}`;
    const byOther = await call("PATCH", path, { token: other.token, body: { title: "mine" } });
    expect(byOther.status).toBe(403);
    expectErrorEnvelope(await json(byOther), "forbidden");
    expect((await call("PATCH", path, { body: { title: "x" } })).status).toBe(401);
    expect((await call("PATCH", path, { token: disabled.token, body: { title: "x" } })).status).toBe(401);
    expect((await call("PATCH", path, { token: owner.token, body: {} })).status).toBe(400);
    expect((await call("PATCH", path, { token: owner.token, body: { visibility: "secret" } })).status).toBe(400);
    expect((await call("PATCH", path, { token: owner.token, body: { title: "x".repeat(500) } })).status).toBe(400);
  });

  it("lets an admin edit anyone's track; a stranger editing a private track gets 404", async () => {
    const owner = await registerUser();
    const admin = await makeAdmin(await registerUser());
    const stranger = await registerUser();
    const track = await createTrack(owner, { visibility: "private" });
    const path = `/api/v1/tracks/${track.id}`;
    expect(
      (await call("PATCH", `${path}?reason=mislabelled`, { token: admin.token, body: { genre: "rock" } })).status,
    ).toBe(200);
    expect((await call("PATCH", path, { token: stranger.token, body: { genre: "pop" } })).status).toBe(404);
  });
});

describe("DELETE /api/v1/tracks/:id", () => {
  it("lets the owner delete; others cannot", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const track = await createTrack(owner);
    const path = `/api/v1/tracks/${track.id}`;
    expect((await call("DELETE", path)).status).toBe(401);
    expect((await call("DELETE", path, { token: other.token })).status).toBe(403);
    expect((await call("DELETE", path, { token: owner.token })).status).toBe(204);
    expect((await call("GET", path, { token: owner.token })).status).toBe(404);
    expect((await call("DELETE", path, { token: owner.token })).status).toBe(404);
  });

  it("removes the track's media objects from R2 with it", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    await env.MEDIA.put(`tracks/${track.id}/original`, "audio bytes");
    await env.MEDIA.put(`tracks/${track.id}/renditions/128.mp4`, "more bytes");
    expect((await call("DELETE", `/api/v1/tracks/${track.id}`, { token: owner.token })).status).toBe(204);
    expect((await env.MEDIA.list({ prefix: `tracks/${track.id}/` })).objects).toEqual([]);
  });
});

describe("GET /api/v1/tracks", () => {
  it("lists an owner's listable tracks to others and all of them to the owner", async () => {
    const owner = await registerUser();
    const pub = await createTrack(owner);
    const priv = await createTrack(owner, { visibility: "private" });
    const unlisted = await createTrack(owner, { visibility: "unlisted" });
    const failed = await createTrack(owner, { status: "failed" });
    const publicView = await json(await call("GET", `/api/v1/tracks?owner=${owner.username}`));
    expect(publicView.items.map((t: any) => t.id)).toEqual([pub.id]);
    const ownView = await json(await call("GET", `/api/v1/tracks?owner=${owner.username}`, { token: owner.token }));
    expect(ownView.items.map((t: any) => t.id)).toEqual([failed.id, unlisted.id, priv.id, pub.id]);
  });

  it("lists recently added public tracks without an owner, never unlisted or private ones", async () => {
    const owner = await registerUser();
    const priv = await createTrack(owner, { visibility: "private" });
    const unlisted = await createTrack(owner, { visibility: "unlisted" });
    const pub = await createTrack(owner);
    const page = await json(await call("GET", "/api/v1/tracks?limit=100"));
    const ids = page.items.map((t: any) => t.id);
    expect(ids).toContain(pub.id);
    expect(ids).not.toContain(priv.id);
    expect(ids).not.toContain(unlisted.id);
  });

  it("paginates without repeating or skipping when tracks are added between pages", async () => {
    const owner = await registerUser();
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await createTrack(owner));
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await json(await call("GET", `/api/v1/tracks?owner=${owner.username}&limit=3${query}`));
      seen.push(...page.items.map((t: any) => t.id));
      cursor = page.nextCursor;
      if (round++ === 0) await createTrack(owner); // newer than the cursor: must not appear later
    } while (cursor);
    expect(seen).toEqual(made.map((t) => t.id).reverse());
  });

  it("refuses a tampered cursor and an oversized limit with 400", async () => {
    expect((await call("GET", "/api/v1/tracks?cursor=garbage")).status).toBe(400);
    expect((await call("GET", "/api/v1/tracks?limit=1000")).status).toBe(400);
  });

  it("answers an unknown owner with 404", async () => {
    expect((await call("GET", "/api/v1/tracks?owner=nobody_here_at_all")).status).toBe(404);
  });
});
