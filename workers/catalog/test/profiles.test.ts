import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { createTrack, disabledUser } from "./fixtures.ts";

describe("profiles", () => {
  it("shows a public profile with counts of followers, following and visible tracks", async () => {
    const artist = await registerUser({ displayName: "Björk" });
    await call("PATCH", "/api/v1/me", { token: artist.token, body: { bio: "Icelandic" } });
    await createTrack(artist);
    await createTrack(artist, { visibility: "private" });
    const fan = await registerUser();
    await call("POST", `/api/v1/users/${artist.username}/follow`, { token: fan.token });
    const profile = await json(await call("GET", `/api/v1/users/${artist.username.toUpperCase()}`));
    expect(profile).toMatchObject({
      id: artist.id,
      username: artist.username,
      displayName: "Björk",
      bio: "Icelandic",
      avatarUrl: null,
      followerCount: 1,
      followingCount: 0,
      trackCount: 1,
    });
    expect(profile.email).toBeUndefined();
    const own = await json(await call("GET", `/api/v1/users/${artist.username}`, { token: artist.token }));
    expect(own.trackCount).toBe(2);
    const asFan = await json(await call("GET", `/api/v1/users/${artist.username}`, { token: fan.token }));
    expect(asFan.followedByMe).toBe(true);
  });

  it("answers an unknown or disabled user with 404", async () => {
    const disabled = await disabledUser();
    expect((await call("GET", "/api/v1/users/no_such_person_here")).status).toBe(404);
    expect((await call("GET", `/api/v1/users/${disabled.username}`)).status).toBe(404);
  });
});

describe("follows", () => {
  it("follows and unfollows idempotently with exact counts on both sides", async () => {
    const artist = await registerUser();
    const fan = await registerUser();
    const path = `/api/v1/users/${artist.username}/follow`;
    expect(await json(await call("POST", path, { token: fan.token }))).toEqual({ following: true, followerCount: 1 });
    expect(await json(await call("POST", path, { token: fan.token }))).toEqual({ following: true, followerCount: 1 });
    expect((await json(await call("GET", `/api/v1/users/${fan.username}`))).followingCount).toBe(1);
    expect(await json(await call("DELETE", path, { token: fan.token }))).toEqual({
      following: false,
      followerCount: 0,
    });
    expect(await json(await call("DELETE", path, { token: fan.token }))).toEqual({
      following: false,
      followerCount: 0,
    });
    expect((await json(await call("GET", `/api/v1/users/${fan.username}`))).followingCount).toBe(0);
  });

  it("refuses following yourself, no token, a disabled user and an unknown user", async () => {
    const me = await registerUser();
    const disabled = await disabledUser();
    const self = await call("POST", `/api/v1/users/${me.username}/follow`, { token: me.token });
    expect(self.status).toBe(400);
    expectErrorEnvelope(await json(self), "cannot_follow_self");
    expect((await call("POST", `/api/v1/users/${me.username}/follow`)).status).toBe(401);
    expect((await call("POST", `/api/v1/users/${me.username}/follow`, { token: disabled.token })).status).toBe(401);
    expect((await call("POST", `/api/v1/users/${disabled.username}/follow`, { token: me.token })).status).toBe(404);
    expect((await call("POST", "/api/v1/users/nobody_at_all_here/follow", { token: me.token })).status).toBe(404);
  });

  it("lists followers and following, newest first, paginated without repeats", async () => {
    const artist = await registerUser();
    const fans = [];
    for (let i = 0; i < 5; i++) {
      const fan = await registerUser();
      await call("POST", `/api/v1/users/${artist.username}/follow`, { token: fan.token });
      fans.push(fan);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await json(await call("GET", `/api/v1/users/${artist.username}/followers?limit=2${query}`));
      seen.push(...page.items.map((u: any) => u.username));
      cursor = page.nextCursor;
      if (round++ === 0) {
        const late = await registerUser();
        await call("POST", `/api/v1/users/${artist.username}/follow`, { token: late.token });
      }
    } while (cursor);
    expect(seen).toEqual(fans.map((f) => f.username).reverse());
    const following = await json(await call("GET", `/api/v1/users/${fans[0]!.username}/following`));
    expect(following.items.map((u: any) => u.id)).toEqual([artist.id]);
  });
});
