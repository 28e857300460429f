import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTrack, disabledUser } from "../../catalog/test/fixtures.ts";
import { call, registerUser, type TestUser } from "../../test/http.ts";
import { likeEvent } from "../events.ts";
import { inboxOf } from "../inbox/notification-inbox.ts";
import { notify } from "../notify.ts";
import { inbox, liveChannel, waitForInbox } from "./fixtures.ts";

const follow = (who: TestUser, whom: TestUser) =>
  call("POST", `/api/v1/users/${whom.username}/follow`, { token: who.token });
const like = (who: TestUser, trackId: string, method = "POST") =>
  call(method, `/api/v1/tracks/${trackId}/like`, { token: who.token });
const comment = (who: TestUser, trackId: string, body: string, atMs?: number) =>
  call("POST", `/api/v1/tracks/${trackId}/comments`, { token: who.token, body: { body, atMs } });

describe("notifications of follows, likes and comments", () => {
  it("tells an artist of a new follower in their inbox and on their open socket", async () => {
    const [artist, fan] = [await registerUser(), await registerUser({ displayName: "Ana" })];
    const live = await liveChannel(artist);
    expect((await follow(fan, artist)).status).toBe(200);

    const event = await live.next("notification");
    expect(event.unreadCount).toBe(1);
    expect(event.notification).toMatchObject({
      type: "follow",
      readAt: null,
      actors: [{ id: fan.id, username: fan.username, displayName: "Ana" }],
      actorCount: 1,
      count: 1,
    });
    const page = await inbox(artist);
    expect(page.items).toEqual([event.notification]);
    expect(page.unreadCount).toBe(1);
    expect(page.nextCursor).toBeNull();
    // The follower's own inbox is untouched.
    expect((await inbox(fan)).items).toEqual([]);
    live.close();
  });

  it("groups followers into one notification with the count and the latest people first", async () => {
    const artist = await registerUser();
    const fans = [await registerUser(), await registerUser(), await registerUser(), await registerUser()];
    for (const fan of fans) expect((await follow(fan, artist)).status).toBe(200);
    // Following again, or unfollowing and following again, is not news.
    await follow(fans[0]!, artist);
    await call("DELETE", `/api/v1/users/${artist.username}/follow`, { token: fans[1]!.token });
    await follow(fans[1]!, artist);

    const page = await inbox(artist);
    expect(page.items).toHaveLength(1);
    expect(page.unreadCount).toBe(1);
    expect(page.items[0]).toMatchObject({ type: "follow", actorCount: 4, count: 4 });
    expect(page.items[0]!.actors.map((a) => a.id)).toEqual([fans[3]!.id, fans[2]!.id, fans[1]!.id]);
  });

  it("tells the owner of a like once per person, and of a timed comment with its moment", async () => {
    const [artist, ana, ben] = [await registerUser(), await registerUser(), await registerUser()];
    const track = await createTrack(artist, { title: "Night Drive" });
    expect((await like(ana, track.id)).status).toBe(200);
    await like(ana, track.id, "DELETE");
    await like(ana, track.id);
    await like(ben, track.id);
    expect((await comment(ben, track.id, "that drop at one minute", 60_000)).status).toBe(201);

    const page = await waitForInbox(artist, 2);
    expect(page.items.map((n) => n.type)).toEqual(["comment", "like"]);
    const [commented, liked] = page.items;
    expect(liked).toMatchObject({ track: { id: track.id, title: "Night Drive" }, actorCount: 2, count: 2 });
    expect(liked!.actors.map((a) => a.id)).toEqual([ben.id, ana.id]);
    expect(commented).toMatchObject({
      track: { id: track.id, title: "Night Drive" },
      comment: { atMs: 60_000, preview: "that drop at one minute" },
      actors: [{ id: ben.id }],
    });
    // Likes of another track are another notification.
    const other = await createTrack(artist);
    await like(ana, other.id);
    expect((await waitForInbox(artist, 3)).items[0]).toMatchObject({
      type: "like",
      track: { id: other.id },
      actorCount: 1,
    });
  });

  it("never notifies people of their own actions", async () => {
    const artist = await registerUser();
    const track = await createTrack(artist);
    expect((await like(artist, track.id)).status).toBe(200);
    expect((await comment(artist, track.id, "my own note")).status).toBe(201);
    expect(await inbox(artist)).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it("respects blocks either way, and disabled accounts neither send nor receive", async () => {
    const [artist, blocked, blocker] = [await registerUser(), await registerUser(), await registerUser()];
    const track = await createTrack(artist);
    expect((await call("POST", `/api/v1/users/${blocked.username}/block`, { token: artist.token })).status).toBe(200);
    expect((await call("POST", `/api/v1/users/${artist.username}/block`, { token: blocker.token })).status).toBe(200);
    for (const user of [blocked, blocker]) {
      expect((await follow(user, artist)).status).toBe(200);
      await comment(user, track.id, "hello");
    }
    expect((await inbox(artist)).items).toEqual([]);

    // A disabled account gets nothing and causes nothing, whatever calls the entry point.
    const gone = await disabledUser();
    const fan = await registerUser();
    const event = (actor: TestUser) => likeEvent({ ...actor, displayName: actor.username }, track);
    expect(await notify(env, gone.id, event(fan))).toBeUndefined();
    expect(await notify(env, artist.id, event(gone))).toBeUndefined();
    expect(await inboxOf(env, gone.id).unreadCount(gone.id)).toBe(0);
    expect((await inbox(artist)).items).toEqual([]);
    // The same call for two active people does notify, so the refusals above are the rule at work.
    expect(await notify(env, artist.id, event(fan))).toMatchObject({ type: "like", actors: [{ id: fan.id }] });
  });
});
