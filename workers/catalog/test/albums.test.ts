import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { createTrack, disabledUser } from "./fixtures.ts";

describe("albums", () => {
  it("creates an album with ordered tracks and a release date, then reorders and edits it", async () => {
    const artist = await registerUser();
    const [a, b, c] = [await createTrack(artist), await createTrack(artist), await createTrack(artist)];
    const created = await call("POST", "/api/v1/albums", {
      token: artist.token,
      body: { title: "Debut", releasedOn: "2024-05-17", trackIds: [b.id, a.id] },
    });
    expect(created.status).toBe(201);
    const album = await json(created);
    expect(album).toMatchObject({ title: "Debut", releasedOn: "2024-05-17", trackCount: 2, coverUrl: null });
    expect(album.tracks.map((t: any) => t.id)).toEqual([b.id, a.id]);

    const reordered = await call("PUT", `/api/v1/albums/${album.id}/tracks`, {
      token: artist.token,
      body: { trackIds: [c.id, a.id, b.id] },
    });
    expect((await json(reordered)).tracks.map((t: any) => t.id)).toEqual([c.id, a.id, b.id]);
    const edited = await call("PATCH", `/api/v1/albums/${album.id}`, {
      token: artist.token,
      body: { title: "Debut (Deluxe)" },
    });
    expect((await json(edited)).title).toBe("Debut (Deluxe)");
    const listed = await json(await call("GET", `/api/v1/albums?owner=${artist.username}`));
    expect(listed.items.map((x: any) => x.id)).toEqual([album.id]);
    expect((await call("DELETE", `/api/v1/albums/${album.id}`, { token: artist.token })).status).toBe(204);
    expect((await call("GET", `/api/v1/tracks/${a.id}`)).status).toBe(200);
    expect((await call("GET", `/api/v1/albums/${album.id}`)).status).toBe(404);
  });

  it("holds only its owner's tracks and shows others only what they may see", async () => {
    const artist = await registerUser();
    const other = await registerUser();
    const open = await createTrack(artist);
    const hidden = await createTrack(artist, { visibility: "private" });
    const foreign = await createTrack(other);
    const refused = await call("POST", "/api/v1/albums", {
      token: artist.token,
      body: { title: "x", trackIds: [foreign.id] },
    });
    expect(refused.status).toBe(400);
    expectErrorEnvelope(await json(refused), "validation_failed");
    const album = await json(
      await call("POST", "/api/v1/albums", {
        token: artist.token,
        body: { title: "EP", trackIds: [open.id, hidden.id] },
      }),
    );
    const seen = await json(await call("GET", `/api/v1/albums/${album.id}`, { token: other.token }));
    expect(seen.tracks.map((t: any) => t.id)).toEqual([open.id]);
    expect(seen.trackCount).toBe(1);
  });

  it("refuses another user (403), no token (401), a disabled user (401) and bad dates (400)", async () => {
    const artist = await registerUser();
    const other = await registerUser();
    const disabled = await disabledUser();
    const album = await json(await call("POST", "/api/v1/albums", { token: artist.token, body: { title: "LP" } }));
    const path = `/api/v1/albums/${album.id}`;
    expect((await call("PATCH", path, { token: other.token, body: { title: "mine" } })).status).toBe(403);
    expect((await call("PUT", `${path}/tracks`, { token: other.token, body: { trackIds: [] } })).status).toBe(403);
    expect((await call("DELETE", path)).status).toBe(401);
    expect((await call("DELETE", path, { token: disabled.token })).status).toBe(401);
    expect((await call("PATCH", path, { token: artist.token, body: { releasedOn: "17/05/2024" } })).status).toBe(400);
  });
});
