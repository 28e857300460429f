import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setTrackStatus } from "../../catalog/tracks.ts";
import { getDb } from "../../db/client.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { signMediaUrl } from "../signed-urls.ts";
import { mp3Bytes, recordRenditions, startUpload, uploadTrack, wavBytes } from "./fixtures.ts";

const textOf = async (response: Response) => new TextDecoder().decode(await response.arrayBuffer());

async function streamOf(trackId: string, token?: string, quality?: string) {
  return call("GET", `/api/v1/tracks/${trackId}/stream${quality ? `?quality=${quality}` : ""}`, { token });
}

describe("stream URLs", () => {
  it("gives the owner the original once the track is ready, typed from its bytes, and never before", async () => {
    const owner = await registerUser();
    const source = mp3Bytes(6000);
    const { track } = await uploadTrack(owner, source, "renamed.flac");
    const early = await streamOf(track.id, owner.token, "original");
    expect(early.status).toBe(409);
    expectErrorEnvelope(await json(early), "not_ready");
    await setTrackStatus(getDb(env.DB), track.id, { status: "ready" });
    const response = await streamOf(track.id, owner.token);
    expect(response.status).toBe(200);
    const stream = await json(response);
    expect(stream).toMatchObject({ mimeType: "audio/mpeg", quality: "original" });
    expect(Date.parse(stream.expiresAt)).toBeGreaterThan(Date.now());
    const audio = await call("GET", stream.url);
    expect(audio.headers.get("content-type")).toBe("audio/mpeg");
    expect(new Uint8Array(await audio.arrayBuffer())).toEqual(source);
    // Nobody else gets the original (downloads are off by default), anonymous callers included.
    const refused = await streamOf(track.id, undefined, "original");
    expect(refused.status).toBe(403);
    expectErrorEnvelope(await json(refused), "download_not_offered");
    const admin = await registerUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.id).run();
    expect(await json(await streamOf(track.id, admin.token, "original"))).toMatchObject({ quality: "original" });
  });

  it("never hands out the original of a failed track, even to its owner", async () => {
    const owner = await registerUser();
    const { track } = await uploadTrack(owner, wavBytes(5000));
    await setTrackStatus(getDb(env.DB), track.id, { status: "failed", failureReason: "No audio could be decoded." });
    const response = await streamOf(track.id, owner.token, "original");
    expect(response.status).toBe(404);
    expect((await streamOf(track.id, owner.token)).status).toBe(404);
  });

  it("refuses a private track's stream to others and to anonymous callers", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const { track } = await uploadTrack(owner, wavBytes(5000));
    await setTrackStatus(getDb(env.DB), track.id, { status: "ready" });
    const patch = await call("PATCH", `/api/v1/tracks/${track.id}`, {
      token: owner.token,
      body: { visibility: "private" },
    });
    expect(patch.status).toBe(200);
    for (const token of [other.token, undefined]) {
      const refused = await streamOf(track.id, token);
      expect(refused.status).toBe(404);
      expectErrorEnvelope(await json(refused), "not_found");
      expect((await call("GET", `/api/v1/tracks/${track.id}/hls`, { token })).status).toBe(404);
      expect((await call("GET", `/api/v1/tracks/${track.id}/waveform`, { token })).status).toBe(404);
    }
    expect((await streamOf(track.id, owner.token)).status).toBe(200);
  });

  it("answers 409 not_ready while the track is still uploading", async () => {
    const owner = await registerUser();
    const created = await startUpload(owner, wavBytes(5000));
    const response = await streamOf(created.trackId, owner.token);
    expect(response.status).toBe(409);
    expectErrorEnvelope(await json(response), "not_ready");
    expect((await call("GET", `/api/v1/tracks/${created.trackId}/hls`, { token: owner.token })).status).toBe(409);
    expect((await call("GET", `/api/v1/tracks/${created.trackId}/waveform`, { token: owner.token })).status).toBe(409);
  });

  it("prefers the best rendition of a public ready track, signed as public, for anyone", async () => {
    const owner = await registerUser();
    const { track } = await uploadTrack(owner, wavBytes(5000));
    await recordRenditions(track.id, ["low", "medium"]);
    await setTrackStatus(getDb(env.DB), track.id, { status: "ready" });

    const best = await json(await streamOf(track.id));
    expect(best).toMatchObject({ quality: "medium", mimeType: 'audio/mp4; codecs="mp4a.40.2"' });
    expect(best.url).toContain(`/api/v1/media/${track.id}/medium.mp4/`);
    expect(best.url).toContain("/gp0/");
    expect(await textOf(await call("GET", best.url))).toBe("medium bytes");

    const low = await json(await streamOf(track.id, undefined, "low"));
    expect(low.quality).toBe("low");
    const missing = await streamOf(track.id, undefined, "high");
    expect(missing.status).toBe(404);
    expectErrorEnvelope(await json(missing), "quality_unavailable");
    expect((await streamOf(track.id, undefined, "original")).status).toBe(403);
    // The artist enables downloads: listeners get the metadata-stripped copy, the owner still the upload.
    const enabled = await call("PATCH", `/api/v1/tracks/${track.id}`, {
      token: owner.token,
      body: { downloadable: true },
    });
    expect(await json(enabled)).toMatchObject({ downloadable: true });
    const offered = await json(await streamOf(track.id, undefined, "original"));
    expect(offered).toMatchObject({ quality: "original", mimeType: "audio/wav" });
    expect(offered.url).toContain(`/api/v1/media/${track.id}/download.wav/`);
    expect(offered.url).toContain("/g/");
    expect(await textOf(await call("GET", offered.url))).toBe("stripped bytes");
    const own = await json(await streamOf(track.id, owner.token, "original"));
    expect(own.url).toContain(`/api/v1/media/${track.id}/original.wav/`);
    expect((await streamOf(track.id, undefined, "lossless")).status).toBe(400);

    const hls = await json(await call("GET", `/api/v1/tracks/${track.id}/hls`));
    expect(hls.mimeType).toBe("application/vnd.apple.mpegurl");
    expect(hls.url).toMatch(new RegExp(`/api/v1/media/${track.id}/renditions/\\d+/gp0/[\\w-]+/master\\.m3u8$`));
    const master = await call("GET", hls.url);
    expect(master.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    // A playlist's relative URI resolves to a sibling under the same signature.
    const sibling = new URL("medium.mp4", `https://veza.test${hls.url}`).pathname;
    expect(await textOf(await call("GET", sibling))).toBe("medium bytes");

    expect(await json(await call("GET", `/api/v1/tracks/${track.id}/waveform`))).toEqual({
      peaks: [0, 0.5, 1],
      durationMs: 1234,
    });
  });
});

describe("signed media URLs", () => {
  async function signedOriginal() {
    const owner = await registerUser();
    const { track } = await uploadTrack(owner, wavBytes(3000));
    await setTrackStatus(getDb(env.DB), track.id, { status: "ready" });
    const stream = await json(await streamOf(track.id, owner.token));
    return { track, url: stream.url as string };
  }

  it("refuses a tampered signature, expiry, scope, file or flag with 403", async () => {
    const { url } = await signedOriginal();
    expect((await call("GET", url)).status).toBe(200);
    const [, , , , trackId, scope, expires, flags, signature, file] = url.split("/");
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const tampered = [
      [trackId, scope, expires, flags, flip(signature!), file],
      [trackId, scope, String(Number(expires) + 3600), flags, signature, file],
      [trackId, "renditions", expires, flags, signature, "medium.mp4"],
      [trackId, scope, expires, flags, signature, "original.mp3"],
      [trackId, scope, expires, "gp", signature, file],
      [`${trackId}x`, scope, expires, flags, signature, file],
      [trackId, scope, expires, flags, "not base64 at all!", file],
    ];
    for (const segments of tampered) {
      const response = await call("GET", `/api/v1/media/${segments.join("/")}`);
      expect(response.status, segments.join("/")).toBe(403);
      expectErrorEnvelope(await json(response), "invalid_signature");
    }
    expect((await call("PUT", url, { rawBody: "x", headers: { "content-length": "1" } })).status).toBe(403);
  });

  it("refuses an expired URL with 403", async () => {
    const { track } = await signedOriginal();
    const expired = await signMediaUrl(env, {
      trackId: track.id,
      scope: "original.wav",
      ttlSeconds: 60,
      now: Date.now() - 120_000,
    });
    const response = await call("GET", expired.url);
    expect(response.status).toBe(403);
    expect((await json(response)).error.message).toMatch(/expired/);
  });
});
