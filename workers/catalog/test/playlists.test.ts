import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser, type TestUser } from "../../test/http.ts";
import { createTrack, disabledUser } from "./fixtures.ts";

async function newPlaylist(owner: TestUser, body: Record<string, unknown> = {}) {
  const response = await call("POST", "/api/v1/playlists", { token: owner.token, body: { title: "Mix", ...body } });
  expect(response.status).toBe(201);
  return json(response);
}

async function add(owner: TestUser, playlistId: string, trackId: string, position?: number) {
  return call("POST", `/api/v1/playlists/${playlistId}/tracks`, { token: owner.token, body: { trackId, position } });
}

async function order(playlistId: string, token?: string): Promise<string[]> {
  const page = await json(await call("GET", `/api/v1/playlists/${playlistId}/tracks?limit=100`, { token }));
  return page.items.map((e: any) => e.track.id);
}

/** Positions straight from D1: they must always be exactly 0..n-1. */
async function storedPositions(playlistId: string): Promise<number[]> {
  const { results } = await env.DB.prepare(
    "SELECT position FROM playlist_tracks WHERE playlist_id = ?1 ORDER BY position",
  )
    .bind(playlistId)
    .all<{ position: number }>();
  return results.map((r) => r.position);
}

describe("playlists", () => {
  it("creates, reads, renames, describes and deletes a playlist", async () => {
    const owner = await registerUser();
    const created = await newPlaylist(owner, { title: "Road trip", visibility: "unlisted" });
    expect(created).toMatchObject({
      title: "Road trip",
      description: "",
      visibility: "unlisted",
      trackCount: 0,
      owner: { id: owner.id, username: owner.username },
    });
    expect((await call("GET", `/api/v1/playlists/${created.id}`)).status).toBe(200);
    const renamed = await call("PATCH", `/api/v1/playlists/${created.id}`, {
      token: owner.token,
      body: { title: "Night drive", description: "slow", visibility: "public" },
    });
    expect(await json(renamed)).toMatchObject({ title: "Night drive", description: "slow", visibility: "public" });
    expect((await call("DELETE", `/api/v1/playlists/${created.id}`, { token: owner.token })).status).toBe(204);
    expect((await call("GET", `/api/v1/playlists/${created.id}`)).status).toBe(404);
  });

  it("refuses others (403), no token (401), a disabled user (401) and bad bodies (400)", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const disabled = await disabledUser();
    const playlist = await newPlaylist(owner);
    const path = `/api/v1/playlists/${playlist.id}`;
    expect((await call("PATCH", path, { token: other.token, body: { title: "x" } })).status).toBe(403);
    expect((await call("DELETE", path, { token: other.token })).status).toBe(403);
    expect((await call("PATCH", path, { body: { title: "x" } })).status).toBe(401);
    expect((await call("PATCH", path, { token: disabled.token, body: { title: "x" } })).status).toBe(401);
    expect((await call("POST", "/api/v1/playlists", { token: owner.token, body: { title: "" } })).status).toBe(400);
    expect(
      (await call("POST", "/api/v1/playlists", { token: owner.token, body: { title: "a", visibility: "x" } })).status,
    ).toBe(400);
    const track = await createTrack(other);
    expect((await add(other, playlist.id, track.id)).status).toBe(403);
  });

  it("keeps a private playlist to its owner and lists only public ones to others", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const secret = await newPlaylist(owner, { visibility: "private" });
    const unlisted = await newPlaylist(owner, { visibility: "unlisted" });
    const open = await newPlaylist(owner);
    expect((await call("GET", `/api/v1/playlists/${secret.id}`, { token: other.token })).status).toBe(404);
    expect((await call("GET", `/api/v1/playlists/${secret.id}/tracks`)).status).toBe(404);
    const theirs = await json(await call("GET", `/api/v1/playlists?owner=${owner.username}`, { token: other.token }));
    expect(theirs.items.map((p: any) => p.id)).toEqual([open.id]);
    const mine = await json(await call("GET", `/api/v1/playlists?owner=${owner.username}`, { token: owner.token }));
    expect(mine.items.map((p: any) => p.id)).toEqual([open.id, unlisted.id, secret.id]);
    const recent = await json(await call("GET", "/api/v1/playlists?limit=100"));
    expect(recent.items.map((p: any) => p.id)).not.toContain(unlisted.id);
  });

  it("adds at the end or at a position, moves and removes, keeping positions 0..n-1", async () => {
    const owner = await registerUser();
    const [a, b, c, d] = [
      await createTrack(owner),
      await createTrack(owner),
      await createTrack(owner),
      await createTrack(owner),
    ];
    const playlist = await newPlaylist(owner);
    const first = await add(owner, playlist.id, a.id);
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({ position: 0, track: { id: a.id } });
    await add(owner, playlist.id, b.id);
    expect((await json(await add(owner, playlist.id, c.id, 0))).position).toBe(0);
    expect((await json(await add(owner, playlist.id, d.id, 99))).position).toBe(3);
    expect(await order(playlist.id)).toEqual([c.id, a.id, b.id, d.id]);

    const moved = await call("PATCH", `/api/v1/playlists/${playlist.id}/tracks/${c.id}`, {
      token: owner.token,
      body: { position: 2 },
    });
    expect((await json(moved)).position).toBe(2);
    expect(await order(playlist.id)).toEqual([a.id, b.id, c.id, d.id]);
    await call("PATCH", `/api/v1/playlists/${playlist.id}/tracks/${d.id}`, {
      token: owner.token,
      body: { position: 0 },
    });
    expect(await order(playlist.id)).toEqual([d.id, a.id, b.id, c.id]);

    expect(
      (await call("DELETE", `/api/v1/playlists/${playlist.id}/tracks/${a.id}`, { token: owner.token })).status,
    ).toBe(204);
    expect(await order(playlist.id)).toEqual([d.id, b.id, c.id]);
    expect(await storedPositions(playlist.id)).toEqual([0, 1, 2]);
    expect(
      (await call("DELETE", `/api/v1/playlists/${playlist.id}/tracks/${a.id}`, { token: owner.token })).status,
    ).toBe(404);
    const again = await add(owner, playlist.id, b.id);
    expect(again.status).toBe(409);
    expectErrorEnvelope(await json(again), "track_already_in_playlist");
  });

  it("resolves concurrent edits without duplicating or losing a position", async () => {
    const owner = await registerUser();
    const playlist = await newPlaylist(owner);
    const tracks = [];
    for (let i = 0; i < 12; i++) tracks.push(await createTrack(owner));
    await Promise.all(tracks.map((t, i) => add(owner, playlist.id, t.id, i % 3 === 0 ? 0 : undefined)));
    expect(await storedPositions(playlist.id)).toEqual([...Array(12).keys()]);
    await Promise.all([
      ...tracks.slice(0, 4).map((t, i) =>
        call("PATCH", `/api/v1/playlists/${playlist.id}/tracks/${t.id}`, {
          token: owner.token,
          body: { position: 11 - i },
        }),
      ),
      ...tracks
        .slice(4, 7)
        .map((t) => call("DELETE", `/api/v1/playlists/${playlist.id}/tracks/${t.id}`, { token: owner.token })),
      add(owner, playlist.id, tracks[5]!.id, 1),
    ]);
    const positions = await storedPositions(playlist.id);
    expect(positions).toEqual([...Array(positions.length).keys()]);
    expect(new Set(await order(playlist.id)).size).toBe(positions.length);
  });

  it("never exposes a track the viewer may not see, and closes the gap when a track is deleted", async () => {
    const curator = await registerUser();
    const artist = await registerUser();
    const listener = await registerUser();
    const open = await createTrack(artist);
    const later = await createTrack(artist);
    const mine = await createTrack(curator, { visibility: "unlisted" });
    const tail = await createTrack(artist);
    const playlist = await newPlaylist(curator);
    for (const t of [open, later, mine, tail]) expect((await add(curator, playlist.id, t.id)).status).toBe(201);
    // Someone else's unlisted track cannot be added; a private one is not even there.
    const unlisted = await createTrack(artist, { visibility: "unlisted" });
    const refused = await add(curator, playlist.id, unlisted.id);
    expect(refused.status).toBe(403);
    expectErrorEnvelope(await json(refused), "track_not_listable");
    const hidden = await createTrack(artist, { visibility: "private" });
    expect((await add(curator, playlist.id, hidden.id)).status).toBe(404);

    await call("PATCH", `/api/v1/tracks/${later.id}`, { token: artist.token, body: { visibility: "private" } });
    expect(await order(playlist.id, listener.token)).toEqual([open.id, tail.id]);
    expect((await json(await call("GET", `/api/v1/playlists/${playlist.id}`))).trackCount).toBe(2);
    expect(await order(playlist.id, curator.token)).toEqual([open.id, mine.id, tail.id]);
    expect(await order(playlist.id, artist.token)).toEqual([open.id, later.id, tail.id]);

    expect((await call("DELETE", `/api/v1/tracks/${open.id}`, { token: artist.token })).status).toBe(204);
    expect(await storedPositions(playlist.id)).toEqual([0, 1, 2]);
    expect(await order(playlist.id, curator.token)).toEqual([mine.id, tail.id]);
  });

  it("pages through entries in order", async () => {
    const owner = await registerUser();
    const playlist = await newPlaylist(owner);
    const tracks = [];
    for (let i = 0; i < 5; i++) {
      const t = await createTrack(owner);
      await add(owner, playlist.id, t.id);
      tracks.push(t.id);
    }
    const first = await json(await call("GET", `/api/v1/playlists/${playlist.id}/tracks?limit=3`));
    const second = await json(
      await call("GET", `/api/v1/playlists/${playlist.id}/tracks?limit=3&cursor=${first.nextCursor}`),
    );
    expect([...first.items, ...second.items].map((e: any) => e.track.id)).toEqual(tracks);
    expect(second.nextCursor).toBeNull();
  });
});
