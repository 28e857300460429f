import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { removeTrack } from "../../catalog/track-delete.ts";
import { createTrackDraft } from "../../catalog/tracks.ts";
import { getDb } from "../../db/client.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { signMediaUrl } from "../signed-urls.ts";

/** The transcoder's write path: PUT through a PUT-signed renditions prefix URL. */

/** A track being processed: the only kind the transcoder may write outputs for. */
async function trackId(status: "processing" | "ready" = "processing") {
  const owner = await registerUser();
  return (await createTrackDraft(getDb(env.DB), { ownerId: owner.id, title: "Being transcoded", status })).id;
}

async function outputBase(id: string, options: { ttlSeconds?: number; now?: number } = {}) {
  const signed = await signMediaUrl(env, {
    trackId: id,
    scope: "renditions",
    ttlSeconds: options.ttlSeconds ?? 600,
    method: "PUT",
    now: options.now,
  });
  expect(signed.url.endsWith("/")).toBe(true);
  return signed.url;
}

function put(url: string, body: Uint8Array | string, headers: Record<string, string> = {}) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return call("PUT", url, { rawBody: bytes, headers: { "content-length": String(bytes.byteLength), ...headers } });
}

describe("PUT-signed rendition URLs", () => {
  it("stores an allowed file under the track's renditions folder, typed by its extension", async () => {
    const id = await trackId();
    const base = await outputBase(id);
    const payload = new Uint8Array(70_000).map((_, i) => i & 255);
    const stored = await put(`${base}medium.mp4`, payload, { "content-type": "text/html" });
    expect(stored.status).toBe(201);
    expect(await json(stored)).toMatchObject({ file: "medium.mp4", size: 70_000 });
    const object = await env.MEDIA.get(`tracks/${id}/renditions/medium.mp4`);
    expect(object?.httpMetadata?.contentType).toBe("audio/mp4");
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(payload);

    expect((await put(`${base}master.m3u8`, "#EXTM3U\n")).status).toBe(201);
    expect((await put(`${base}waveform.json`, "{}")).status).toBe(201);
    const playlist = await env.MEDIA.head(`tracks/${id}/renditions/master.m3u8`);
    expect(playlist?.httpMetadata?.contentType).toBe("application/vnd.apple.mpegurl");
  });

  it("refuses names outside the renditions folder or of the wrong kind", async () => {
    const id = await trackId();
    const base = await outputBase(id);
    for (const name of [
      "original",
      "original.wav",
      "..%2Foriginal",
      "%2E%2E",
      "evil.html",
      "low.mp4.exe",
      ".hidden.mp4",
    ]) {
      const response = await put(`${base}${name}`, "x");
      expect([403, 404], name).toContain(response.status);
      expectErrorEnvelope(await json(response));
    }
    const traversal = await put(`${base}../../../${id}/original/1/w/sig/original`, "x");
    expect([403, 404]).toContain(traversal.status);
    expect(await env.MEDIA.head(`tracks/${id}/original`)).toBeNull();
    expect((await env.MEDIA.list({ prefix: `tracks/${id}/` })).objects).toHaveLength(0);
  });

  it("refuses a body over the size cap with 413, one without a length with 411, and GET on a write URL", async () => {
    const id = await trackId();
    const base = await outputBase(id);
    const limit = Number(env.MAX_UPLOAD_BYTES);
    const tooBig = await call("PUT", `${base}high.mp4`, {
      rawBody: new Uint8Array(16),
      headers: { "content-length": String(limit + 1) },
    });
    expect(tooBig.status).toBe(413);
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array(4));
        controller.close();
      },
    });
    const unknownLength = await call("PUT", `${base}high.mp4`, { rawBody: chunked });
    expect(unknownLength.status).toBe(411);
    expect((await call("GET", `${base}high.mp4`)).status).toBe(403);
  });

  it("refuses an expired write URL and a read URL used for writing", async () => {
    const id = await trackId();
    const expired = await outputBase(id, { ttlSeconds: 10, now: Date.now() - 60_000 });
    expect((await put(`${expired}low.mp4`, "x")).status).toBe(403);
    const read = await signMediaUrl(env, { trackId: id, scope: "renditions", file: "low.mp4", ttlSeconds: 600 });
    expect((await put(read.url, "x")).status).toBe(403);
    expect(await env.MEDIA.head(`tracks/${id}/renditions/low.mp4`)).toBeNull();
  });

  it("refuses writes for a track deleted mid-transcode (410) or already settled (409), storing nothing", async () => {
    const id = await trackId();
    const base = await outputBase(id);
    expect((await put(`${base}low.mp4`, "first")).status).toBe(201);
    await removeTrack(env, getDb(env.DB), id);
    const late = await put(`${base}medium.mp4`, "late");
    expect(late.status).toBe(410);
    expectErrorEnvelope(await json(late), "track_deleted");
    expect((await env.MEDIA.list({ prefix: `tracks/${id}/` })).objects).toHaveLength(0);

    const settled = await trackId("ready");
    const refused = await put(`${await outputBase(settled)}low.mp4`, "stale");
    expect(refused.status).toBe(409);
    expectErrorEnvelope(await json(refused), "track_not_processing");
    expect(await env.MEDIA.head(`tracks/${settled}/renditions/low.mp4`)).toBeNull();
  });
});
