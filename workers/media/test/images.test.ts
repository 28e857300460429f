import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setTrackStatus } from "../../catalog/tracks.ts";
import { getDb } from "../../db/client.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { jpegBytes, pngBytes, startUpload, uploadTrack, wavBytes, webpBytes } from "./fixtures.ts";

const MiB = 1024 * 1024;

function putImage(path: string, token: string, bytes: Uint8Array) {
  return call("PUT", path, { token, rawBody: bytes, headers: { "content-type": "application/octet-stream" } });
}

describe("cover art", () => {
  it("stores the owner's cover and serves it to whoever may see the track", async () => {
    const owner = await registerUser();
    const { track } = await uploadTrack(owner, wavBytes(4000));
    const image = pngBytes(5000);
    const response = await putImage(`/api/v1/tracks/${track.id}/cover`, owner.token, image);
    expect(response.status).toBe(200);
    const updated = await json(response);
    expect(updated.coverUrl).toMatch(new RegExp(`^/api/v1/tracks/${track.id}/cover\\?v=\\d+$`));

    const served = await call("GET", updated.coverUrl, { token: owner.token });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(image);
    const etag = served.headers.get("etag")!;
    expect(
      (await call("GET", updated.coverUrl, { token: owner.token, headers: { "if-none-match": etag } })).status,
    ).toBe(304);
    // Not ready yet: others cannot see the track, nor its cover.
    expect((await call("GET", updated.coverUrl)).status).toBe(404);
    await setTrackStatus(getDb(env.DB), track.id, { status: "ready" });
    expect((await call("GET", updated.coverUrl)).status).toBe(200);
  });

  it("refuses someone else's track, a non-image (415) and an oversized image (413)", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const created = await startUpload(owner, wavBytes(4000));
    const path = `/api/v1/tracks/${created.trackId}/cover`;
    expect((await putImage(path, other.token, jpegBytes())).status).toBe(404);

    const notImage = await putImage(path, owner.token, wavBytes(4000));
    expect(notImage.status).toBe(415);
    expectErrorEnvelope(await json(notImage), "unsupported_media_type");
    const big = jpegBytes(5 * MiB + 1);
    const tooBig = await putImage(path, owner.token, big);
    expect(tooBig.status).toBe(413);
    expectErrorEnvelope(await json(tooBig), "file_too_large");
    expect(await env.MEDIA.head(`tracks/${created.trackId}/cover`)).toBeNull();
    expect((await putImage(path, owner.token, jpegBytes(5 * MiB))).status).toBe(200);
  });
});

describe("album covers", () => {
  it("stores the owner's album cover at the album's coverUrl and refuses anyone else", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const created = await call("POST", "/api/v1/albums", { token: owner.token, body: { title: "First Light" } });
    expect(created.status).toBe(201);
    const album = await json(created);
    expect(album.coverUrl).toBeNull();
    const path = `/api/v1/albums/${album.id}/cover`;
    expect((await call("GET", path)).status).toBe(404);
    expect((await putImage(path, other.token, jpegBytes())).status).toBe(403);
    expect((await putImage(path, owner.token, wavBytes(4000))).status).toBe(415);

    const image = jpegBytes(4000);
    const response = await putImage(path, owner.token, image);
    expect(response.status).toBe(200);
    const updated = await json(response);
    expect(updated.coverUrl).toMatch(new RegExp(`^${path}\\?v=\\d+$`));
    const served = await call("GET", updated.coverUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(image);
    expect((await call("GET", "/api/v1/albums/no-such-album/cover")).status).toBe(404);

    expect((await call("DELETE", `/api/v1/albums/${album.id}`, { token: owner.token })).status).toBe(204);
    expect(await env.MEDIA.head(`albums/${album.id}/cover`)).toBeNull();
  });
});

describe("avatars", () => {
  it("stores a WebP avatar and serves it at the user's avatarUrl", async () => {
    const user = await registerUser();
    const image = webpBytes(3000);
    const response = await putImage("/api/v1/me/avatar", user.token, image);
    expect(response.status).toBe(200);
    const me = await json(response);
    expect(me.avatarUrl).toMatch(new RegExp(`^/api/v1/users/${user.id}/avatar\\?v=\\d+$`));
    const served = await call("GET", me.avatarUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(image);
    expect((await json(await call("GET", "/api/v1/me", { token: user.token }))).avatarUrl).toBe(me.avatarUrl);
  });

  it("refuses a non-image avatar and answers 404 for a user without one", async () => {
    const user = await registerUser();
    const refused = await putImage("/api/v1/me/avatar", user.token, new TextEncoder().encode("<svg></svg>"));
    expect(refused.status).toBe(415);
    expect((await call("GET", `/api/v1/users/${user.id}/avatar`)).status).toBe(404);
    expect((await putImage("/api/v1/me/avatar", "", jpegBytes())).status).toBe(401);
  });
});
