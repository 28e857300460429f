import { describe, expect, it } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { call, json, registerUser } from "../../test/http.ts";

describe("global status", () => {
  it("shows followers who is online and what they play, unless hidden; strangers see nothing", async () => {
    const [artist, fan, stranger] = [await registerUser(), await registerUser(), await registerUser()];
    const track = await createTrack(artist, { title: "Now playing" });
    const hidden = await createTrack(artist, { title: "Secret", visibility: "private" });
    await call("POST", `/api/v1/users/${artist.username}/follow`, { token: fan.token });

    const offline = await json(await call("GET", `/api/v1/users/${artist.username}/status`, { token: fan.token }));
    expect(offline).toMatchObject({ online: false, lastSeenAt: null, track: null });

    expect((await call("PUT", "/api/v1/me/status", { token: artist.token, body: { trackId: track.id } })).status).toBe(
      200,
    );
    const seen = await json(await call("GET", `/api/v1/users/${artist.username}/status`, { token: fan.token }));
    expect(seen).toMatchObject({ userId: artist.id, online: true, track: { id: track.id, title: "Now playing" } });
    const following = await json(await call("GET", "/api/v1/me/following/status", { token: fan.token }));
    expect(following.items.map((s: { userId: string }) => s.userId)).toEqual([artist.id]);
    expect((await call("GET", `/api/v1/users/${artist.username}/status`, { token: stranger.token })).status).toBe(404);
    expect((await json(await call("GET", "/api/v1/me/following/status", { token: stranger.token }))).items).toEqual([]);

    // A private track is not shown to the fan; the artist themself sees it.
    await call("PUT", "/api/v1/me/status", { token: artist.token, body: { trackId: hidden.id } });
    expect(
      (await json(await call("GET", `/api/v1/users/${artist.username}/status`, { token: fan.token }))).track,
    ).toBeNull();
    expect(
      (await json(await call("GET", `/api/v1/users/${artist.username}/status`, { token: artist.token }))).track,
    ).toMatchObject({ id: hidden.id });

    await call("PUT", "/api/v1/me/status", { token: artist.token, body: { hidden: true } });
    expect(
      await json(await call("GET", `/api/v1/users/${artist.username}/status`, { token: fan.token })),
    ).toMatchObject({
      online: false,
      track: null,
    });
    expect((await json(await call("GET", "/api/v1/me/following/status", { token: fan.token }))).items).toEqual([]);
  });
});
