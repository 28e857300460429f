import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { setTrackStatus } from "../../catalog/tracks.ts";
import { getDb } from "../../db/client.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { signMediaUrl } from "../signed-urls.ts";
import { uploadTrack, wavBytes } from "./fixtures.ts";

/** Every RFC 9110 case, byte-exact against the source, on the R2 path and on the edge-cache path. */

const ORIGINAL_SIZE = 100_003;
const RENDITION_SIZE = 120_001;

type Target = { url: string; source: Uint8Array; contentType: string; cached: boolean };

async function get(url: string, headers: Record<string, string> = {}, method = "GET") {
  return call(method, url, { headers });
}

async function bytesOf(response: Response) {
  return new Uint8Array(await response.arrayBuffer());
}

/** Public URLs fill the cache after the first (missed) request; wait until it answers. */
async function warm(url: string) {
  for (let i = 0; i < 100; i++) {
    const response = await get(url, { range: "bytes=0-0" });
    await response.arrayBuffer();
    if (response.headers.get("x-media-cache") === "hit") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the edge cache never filled");
}

function rangeCases(fileSize: number, target: () => Target) {
  const expectCache = (response: Response) => {
    if (target().cached) expect(response.headers.get("x-media-cache")).toBe("hit");
  };

  it("serves the whole file with Accept-Ranges, ETag, type and length", async () => {
    const { url, source, contentType } = target();
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-type")).toBe(contentType);
    expect(response.headers.get("content-length")).toBe(String(source.byteLength));
    expect(response.headers.get("etag")).toMatch(/^"/);
    expectCache(response);
    expect(await bytesOf(response)).toEqual(source);
  });

  const size = () => fileSize;
  const cases: Array<[string, () => string, () => [number, number]]> = [
    ["bytes=a-b", () => "bytes=100-1099", () => [100, 1099]],
    ["the first byte", () => "bytes=0-0", () => [0, 0]],
    ["the last byte", () => `bytes=${size() - 1}-${size() - 1}`, () => [size() - 1, size() - 1]],
    ["bytes=a- (open-ended)", () => "bytes=70000-", () => [70000, size() - 1]],
    ["bytes=-n (suffix)", () => "bytes=-500", () => [size() - 500, size() - 1]],
    ["a suffix longer than the file", () => `bytes=-${size() + 10}`, () => [0, size() - 1]],
    ["an end past the file, clamped", () => `bytes=10-${size() + 1000}`, () => [10, size() - 1]],
    ["spaces and case in the unit", () => " Bytes = 5-9 ", () => [5, 9]],
  ];
  for (const [name, header, expected] of cases) {
    it(`answers ${name} with 206 and the exact bytes`, async () => {
      const { url, source } = target();
      const [start, end] = expected();
      const response = await get(url, { range: header() });
      expect(response.status).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${source.byteLength}`);
      expect(response.headers.get("content-length")).toBe(String(end - start + 1));
      expectCache(response);
      expect(await bytesOf(response)).toEqual(source.subarray(start, end + 1));
    });
  }

  for (const header of [`bytes=${fileSize}-`, `bytes=${fileSize + 5}-${fileSize + 10}`, "bytes=-0"]) {
    it(`answers an unsatisfiable range (${header}) with 416 and bytes */size`, async () => {
      const response = await get(target().url, { range: header });
      expect(response.status).toBe(416);
      expect(response.headers.get("content-range")).toBe(`bytes */${size()}`);
      expectErrorEnvelope(await json(response), "range_not_satisfiable");
    });
  }

  for (const header of ["bytes=0-1,5-6", "bytes=5-3", "items=0-5", "bytes=abc", "bytes="]) {
    it(`serves the whole file for a multi-range or invalid Range (${header})`, async () => {
      const response = await get(target().url, { range: header });
      expect(response.status).toBe(200);
      expect(await bytesOf(response)).toEqual(target().source);
    });
  }

  it("honours If-Range with the current ETag and ignores the range for a stale one", async () => {
    const { url, source } = target();
    const etag = (await get(url, {}, "HEAD")).headers.get("etag")!;
    const current = await get(url, { range: "bytes=10-19", "if-range": etag });
    expect(current.status).toBe(206);
    expect(await bytesOf(current)).toEqual(source.subarray(10, 20));
    const stale = await get(url, { range: "bytes=10-19", "if-range": '"stale-etag"' });
    expect(stale.status).toBe(200);
    expect(await bytesOf(stale)).toEqual(source);
    const weak = await get(url, { range: "bytes=10-19", "if-range": `W/${etag}` });
    expect(weak.status).toBe(200);
    await weak.arrayBuffer();
  });

  it("answers If-None-Match with 304 when the ETag matches", async () => {
    const { url } = target();
    const etag = (await get(url, {}, "HEAD")).headers.get("etag")!;
    const notModified = await get(url, { "if-none-match": `"other", ${etag}` });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect((await bytesOf(notModified)).byteLength).toBe(0);
    const changed = await get(url, { "if-none-match": '"other"' });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
  });

  it("answers HEAD with the headers of the GET and no body", async () => {
    const { url, source, contentType } = target();
    const whole = await get(url, {}, "HEAD");
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-length")).toBe(String(source.byteLength));
    expect(whole.headers.get("content-type")).toBe(contentType);
    expect((await bytesOf(whole)).byteLength).toBe(0);
    const part = await get(url, { range: "bytes=-100" }, "HEAD");
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(
      `bytes ${source.byteLength - 100}-${source.byteLength - 1}/${source.byteLength}`,
    );
  });
}

describe("range requests on a private original (served from R2)", () => {
  let target: Target;
  beforeAll(async () => {
    const user = await registerUser();
    const source = wavBytes(ORIGINAL_SIZE);
    const { track } = await uploadTrack(user, source, "ranges.wav");
    await setTrackStatus(getDb(env.DB), track.id, { status: "ready" });
    const stream = await json(await call("GET", `/api/v1/tracks/${track.id}/stream`, { token: user.token }));
    expect(stream).toMatchObject({ mimeType: "audio/wav", quality: "original" });
    expect(stream.url).toMatch(new RegExp(`^/api/v1/media/${track.id}/original\\.wav/\\d+/g/[\\w-]+/original\\.wav$`));
    target = { url: stream.url, source, contentType: "audio/wav", cached: false };
  });
  rangeCases(ORIGINAL_SIZE, () => target);
});

describe("range requests on a public rendition (served from the edge cache)", () => {
  let target: Target;
  beforeAll(async () => {
    const trackId = `cachetest${crypto.randomUUID().replaceAll("-", "")}`;
    const source = wavBytes(RENDITION_SIZE, 3);
    await env.MEDIA.put(`tracks/${trackId}/renditions/medium.mp4`, source);
    const signed = await signMediaUrl(env, { trackId, scope: "medium.mp4", ttlSeconds: 600, public: true });
    await warm(signed.url);
    target = { url: signed.url, source, contentType: "audio/mp4", cached: true };
  });
  rangeCases(RENDITION_SIZE, () => target);
});
