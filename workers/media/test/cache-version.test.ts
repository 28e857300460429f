import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setTrackStatus } from "../../catalog/tracks.ts";
import { getDb } from "../../db/client.ts";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";
import { recordRenditions, uploadTrack, wavBytes } from "./fixtures.ts";

/** A public ready track and a signed URL of its medium rendition, served from the edge cache. */
async function cachedRendition(owner: TestUser) {
  const { track } = await uploadTrack(owner, wavBytes(5000));
  await recordRenditions(track.id, ["low", "medium"]);
  await setTrackStatus(getDb(env.DB), track.id, { status: "ready" });
  const { url } = await json(await call("GET", `/api/v1/tracks/${track.id}/stream?quality=medium`));
  for (let i = 0; i < 100; i++) {
    const response = await call("GET", url);
    await response.arrayBuffer();
    if (response.headers.get("x-media-cache") === "hit") return { trackId: track.id as string, url: url as string };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the edge cache never filled");
}

describe("public renditions in the edge cache follow the track's media version", () => {
  it("a deleted track's public URL stops playing from the cache", async () => {
    const owner = await registerUser();
    const { trackId, url } = await cachedRendition(owner);
    expect(url).toContain("/gp0/");
    expect((await call("DELETE", `/api/v1/tracks/${trackId}`, { token: owner.token })).status).toBe(204);
    const after = await call("GET", url);
    expect(after.status).toBe(404);
  });

  it("a track made private gets a new version: the old URL misses the cache, later public URLs differ", async () => {
    const owner = await registerUser();
    const { trackId, url } = await cachedRendition(owner);
    const patch = (visibility: string) =>
      call("PATCH", `/api/v1/tracks/${trackId}`, { token: owner.token, body: { visibility } });
    expect((await patch("private")).status).toBe(200);
    const old = await call("GET", url);
    await old.arrayBuffer();
    expect(old.headers.get("x-media-cache")).not.toBe("hit");
    const own = await json(
      await call("GET", `/api/v1/tracks/${trackId}/stream?quality=medium`, { token: owner.token }),
    );
    expect(own.url).toContain("/g/");
    expect((await patch("public")).status).toBe(200);
    const fresh = await json(await call("GET", `/api/v1/tracks/${trackId}/stream?quality=medium`));
    expect(fresh.url).toContain("/gp2/");
  });
});
