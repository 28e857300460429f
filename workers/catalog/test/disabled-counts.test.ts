import { describe, expect, it } from "vitest";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";
import { createTrack, makeAdmin } from "./fixtures.ts";

async function counts(viewer: TestUser, trackId: string, usernames: string[]) {
  const track = await json(await call("GET", `/api/v1/tracks/${trackId}`, { token: viewer.token }));
  const profiles = [];
  for (const name of usernames) {
    const profile = await json(await call("GET", `/api/v1/users/${name}`, { token: viewer.token }));
    profiles.push([profile.followerCount, profile.followingCount]);
  }
  return { likes: track.likeCount, comments: track.commentCount, profiles };
}

describe("a disabled account's activity in the counters", () => {
  it("drops out of like, comment, follower and following counts on disable and returns on enable", async () => {
    const admin = await makeAdmin(await registerUser());
    const [artist, fan, other, viewer] = [
      await registerUser(),
      await registerUser(),
      await registerUser(),
      await registerUser(),
    ];
    const track = await createTrack(artist);
    for (const user of [fan, other]) {
      expect((await call("POST", `/api/v1/tracks/${track.id}/like`, { token: user.token })).status).toBeLessThan(300);
      const comment = await call("POST", `/api/v1/tracks/${track.id}/comments`, {
        token: user.token,
        body: { body: "hi" },
      });
      expect(comment.status).toBe(201);
    }
    // The fan follows the artist, the artist follows the fan back; the other user follows the artist.
    for (const [who, whom] of [
      [fan, artist],
      [artist, fan],
      [other, artist],
    ] as const) {
      expect((await call("POST", `/api/v1/users/${whom.username}/follow`, { token: who.token })).status).toBeLessThan(
        300,
      );
    }
    const names = [artist.username, other.username];
    const before = {
      likes: 2,
      comments: 2,
      profiles: [
        [2, 1],
        [0, 1],
      ],
    };
    expect(await counts(viewer, track.id, names)).toEqual(before);

    const admin_ = (action: string) =>
      call("POST", `/api/v1/admin/users/${fan.username}/${action}`, { token: admin.token, body: { reason: "test" } });
    expect((await admin_("disable")).status).toBe(200);
    expect(await counts(viewer, track.id, names)).toEqual({
      likes: 1,
      comments: 1,
      profiles: [
        [1, 0],
        [0, 1],
      ],
    });

    expect((await admin_("enable")).status).toBe(200);
    expect(await counts(viewer, track.id, names)).toEqual(before);
  });
});
