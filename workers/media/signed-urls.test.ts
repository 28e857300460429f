import { describe, expect, it } from "vitest";
import { type SignOptions, signMediaUrl, verifyMediaPath } from "./signed-urls.ts";

const env = { STREAM_SIGNING_KEY: "unit-test-signing-key" };
const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const rest = (url: string) => url.slice("/api/v1/media/".length);

async function roundTrip(options: Omit<SignOptions, "now" | "ttlSeconds">, method = "GET", file?: string) {
  const signed = await signMediaUrl(env, { ...options, ttlSeconds: 60, now });
  const path = file === undefined ? rest(signed.url) : rest(signed.url) + file;
  return verifyMediaPath(env, path, method, now + 1000);
}

describe("signed media URLs", () => {
  it("addresses the original in the track's folder, typed by the signed extension", async () => {
    const media = await roundTrip({ trackId: "t1", scope: "original.flac" });
    expect(media).toEqual({
      trackId: "t1",
      file: "original.flac",
      key: "tracks/t1/original",
      contentType: "audio/flac",
      public: false,
      version: 0,
      method: "GET",
    });
    expect((await roundTrip({ trackId: "t1", scope: "original" })).contentType).toBe("application/octet-stream");
  });

  it("lets a renditions scope reach any rendition file, and HEAD use a GET signature", async () => {
    const signed = await signMediaUrl(env, {
      trackId: "t2",
      scope: "renditions",
      file: "master.m3u8",
      ttlSeconds: 60,
      now,
      public: true,
      version: 7,
    });
    expect(signed.url).toMatch(/^\/api\/v1\/media\/t2\/renditions\/\d+\/gp7\/[\w-]+\/master\.m3u8$/);
    const sibling = rest(signed.url).replace(/master\.m3u8$/, "high.mp4");
    const media = await verifyMediaPath(env, sibling, "HEAD", now);
    expect(media).toMatchObject({
      key: "tracks/t2/renditions/high.mp4",
      contentType: "audio/mp4",
      public: true,
      version: 7,
    });
    await expect(
      verifyMediaPath(env, rest(signed.url).replace(/master\.m3u8$/, "original"), "GET", now),
    ).rejects.toMatchObject({
      status: 403,
    });
  });

  it("gives the transcoder a PUT prefix that takes rendition names only", async () => {
    const base = await signMediaUrl(env, { trackId: "t3", scope: "renditions", method: "PUT", ttlSeconds: 60, now });
    expect(base.url.endsWith("/")).toBe(true);
    expect(await verifyMediaPath(env, `${rest(base.url)}waveform.json`, "PUT", now)).toMatchObject({
      key: "tracks/t3/renditions/waveform.json",
      method: "PUT",
    });
    for (const bad of ["original", "..", "a/b.mp4", "x.html", ""]) {
      await expect(verifyMediaPath(env, `${rest(base.url)}${bad}`, "PUT", now)).rejects.toMatchObject({ status: 403 });
    }
    await expect(verifyMediaPath(env, `${rest(base.url)}low.mp4`, "GET", now)).rejects.toMatchObject({ status: 403 });
  });

  it("expires, and refuses another key", async () => {
    const signed = await signMediaUrl(env, { trackId: "t4", scope: "low.mp4", ttlSeconds: 60, now });
    await expect(verifyMediaPath(env, rest(signed.url), "GET", now + 61_000)).rejects.toMatchObject({ status: 403 });
    await expect(
      verifyMediaPath({ STREAM_SIGNING_KEY: "another-key" }, rest(signed.url), "GET", now),
    ).rejects.toMatchObject({ status: 403 });
    await expect(verifyMediaPath(env, rest(signed.url), "DELETE", now)).rejects.toMatchObject({ status: 405 });
  });

  it("refuses to sign a file its scope does not cover, or a write to the original", async () => {
    await expect(
      signMediaUrl(env, { trackId: "t5", scope: "low.mp4", file: "high.mp4", ttlSeconds: 1 }),
    ).rejects.toThrow();
    await expect(
      signMediaUrl(env, { trackId: "t5", scope: "original", method: "PUT", ttlSeconds: 1 }),
    ).rejects.toThrow();
    await expect(signMediaUrl(env, { trackId: "../x", scope: "original", ttlSeconds: 1 })).rejects.toThrow();
  });
});
