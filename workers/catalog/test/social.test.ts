import { describe, expect, it, vi } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { createTrack, disabledUser, makeAdmin, playCountOf, playsSettled } from "./fixtures.ts";

describe("likes", () => {
  it("likes and unlikes idempotently, keeping likeCount exact and likedByMe right", async () => {
    const owner = await registerUser();
    const fan = await registerUser();
    const other = await registerUser();
    const track = await createTrack(owner);
    const path = `/api/v1/tracks/${track.id}/like`;
    expect(await json(await call("POST", path, { token: fan.token }))).toEqual({ liked: true, likeCount: 1 });
    expect(await json(await call("POST", path, { token: fan.token }))).toEqual({ liked: true, likeCount: 1 });
    expect(await json(await call("POST", path, { token: other.token }))).toEqual({ liked: true, likeCount: 2 });
    expect((await json(await call("GET", `/api/v1/tracks/${track.id}`, { token: fan.token }))).likedByMe).toBe(true);
    expect(await json(await call("DELETE", path, { token: fan.token }))).toEqual({ liked: false, likeCount: 1 });
    expect(await json(await call("DELETE", path, { token: fan.token }))).toEqual({ liked: false, likeCount: 1 });
    const page = await json(await call("GET", `/api/v1/tracks/${track.id}`, { token: fan.token }));
    expect(page).toMatchObject({ likeCount: 1, likedByMe: false });
  });

  it("keeps the count exact under concurrent likes", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    const fans = await Promise.all(Array.from({ length: 6 }, () => registerUser()));
    await Promise.all(
      fans.flatMap((f) => [1, 2].map(() => call("POST", `/api/v1/tracks/${track.id}/like`, { token: f.token }))),
    );
    expect((await json(await call("GET", `/api/v1/tracks/${track.id}`))).likeCount).toBe(6);
  });

  it("refuses no token, a disabled user, and a private track someone else owns", async () => {
    const owner = await registerUser();
    const stranger = await registerUser();
    const disabled = await disabledUser();
    const track = await createTrack(owner);
    const hidden = await createTrack(owner, { visibility: "private" });
    expect((await call("POST", `/api/v1/tracks/${track.id}/like`)).status).toBe(401);
    expect((await call("POST", `/api/v1/tracks/${track.id}/like`, { token: disabled.token })).status).toBe(401);
    expect((await call("POST", `/api/v1/tracks/${hidden.id}/like`, { token: stranger.token })).status).toBe(404);
  });

  it("lists my likes, newest first, leaving out tracks that became private", async () => {
    const owner = await registerUser();
    const fan = await registerUser();
    const first = await createTrack(owner);
    const second = await createTrack(owner);
    const goesPrivate = await createTrack(owner);
    for (const t of [first, second, goesPrivate])
      await call("POST", `/api/v1/tracks/${t.id}/like`, { token: fan.token });
    await call("PATCH", `/api/v1/tracks/${goesPrivate.id}`, { token: owner.token, body: { visibility: "private" } });
    const page = await json(await call("GET", "/api/v1/me/likes?limit=1", { token: fan.token }));
    expect(page.items.map((t: any) => t.id)).toEqual([second.id]);
    const rest = await json(await call("GET", `/api/v1/me/likes?cursor=${page.nextCursor}`, { token: fan.token }));
    expect(rest.items.map((t: any) => t.id)).toEqual([first.id]);
    expect(rest.nextCursor).toBeNull();
  });
});

describe("comments", () => {
  it("posts a timed comment and lists it, newest first, with the author", async () => {
    const owner = await registerUser();
    const fan = await registerUser({ displayName: "Fan" });
    const track = await createTrack(owner, { durationMs: 200_000 });
    const path = `/api/v1/tracks/${track.id}/comments`;
    const created = await call("POST", path, { token: fan.token, body: { body: "  that drop!  ", atMs: 61_500 } });
    expect(created.status).toBe(201);
    const comment = await json(created);
    expect(comment).toMatchObject({
      trackId: track.id,
      body: "that drop!",
      atMs: 61_500,
      author: { id: fan.id, username: fan.username, displayName: "Fan" },
    });
    await call("POST", path, { token: owner.token, body: { body: "thanks" } });
    const page = await json(await call("GET", path));
    expect(page.items.map((c: any) => c.body)).toEqual(["thanks", "that drop!"]);
    expect(page.items[0].atMs).toBeNull();
    expect((await json(await call("GET", `/api/v1/tracks/${track.id}`))).commentCount).toBe(2);
  });

  it("refuses an empty body, a position past the end, no token and a disabled user", async () => {
    const owner = await registerUser();
    const disabled = await disabledUser();
    const track = await createTrack(owner, { durationMs: 10_000 });
    const path = `/api/v1/tracks/${track.id}/comments`;
    const empty = await call("POST", path, { token: owner.token, body: { body: "   " } });
    expect(empty.status).toBe(400);
    expectErrorEnvelope(await json(empty), "validation_failed");
    expect((await call("POST", path, { token: owner.token, body: { body: "x", atMs: 10_001 } })).status).toBe(400);
    expect((await call("POST", path, { token: owner.token, body: { body: "x", atMs: -1 } })).status).toBe(400);
    expect((await call("POST", path, { body: { body: "x" } })).status).toBe(401);
    expect((await call("POST", path, { token: disabled.token, body: { body: "x" } })).status).toBe(401);
  });

  it("lets the author, the track owner and an admin delete a comment, and nobody else", async () => {
    const owner = await registerUser();
    const author = await registerUser();
    const stranger = await registerUser();
    const admin = await makeAdmin(await registerUser());
    const track = await createTrack(owner);
    const path = `/api/v1/tracks/${track.id}/comments`;
    const post = async () => (await json(await call("POST", path, { token: author.token, body: { body: "hi" } }))).id;
    const [a, b, c] = [await post(), await post(), await post()];
    const byStranger = await call("DELETE", `${path}/${a}`, { token: stranger.token });
    expect(byStranger.status).toBe(403);
    expectErrorEnvelope(await json(byStranger), "forbidden");
    expect((await call("DELETE", `${path}/${a}`)).status).toBe(401);
    expect((await call("DELETE", `${path}/${a}`, { token: author.token })).status).toBe(204);
    expect((await call("DELETE", `${path}/${b}`, { token: owner.token })).status).toBe(204);
    expect((await call("DELETE", `${path}/${c}?reason=abuse`, { token: admin.token })).status).toBe(204);
    expect((await call("DELETE", `${path}/${c}?reason=abuse`, { token: admin.token })).status).toBe(404);
    expect((await json(await call("GET", `/api/v1/tracks/${track.id}`))).commentCount).toBe(0);
  });

  it("hides the comments of a private track from others", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner, { visibility: "private" });
    expect((await call("GET", `/api/v1/tracks/${track.id}/comments`)).status).toBe(404);
  });
});

describe("plays", () => {
  const accepted = (counted: boolean) => ({ accepted: true, counted });

  it("counts a listen once it reaches 30 s, once per listen, and records the history", async () => {
    const owner = await registerUser();
    const listener = await registerUser();
    const track = await createTrack(owner, { durationMs: 240_000 });
    const path = `/api/v1/tracks/${track.id}/plays`;
    const short = await call("POST", path, { token: listener.token, body: { listenedMs: 29_999 } });
    expect(short.status).toBe(202);
    expect(await json(short)).toEqual(accepted(false));
    const full = await call("POST", path, { token: listener.token, body: { listenedMs: 30_000 } });
    expect(full.status).toBe(202);
    expect(await json(full)).toEqual(accepted(true));
    // The count follows shortly, from the queue consumer.
    await vi.waitFor(
      async () => {
        expect((await json(await call("GET", `/api/v1/tracks/${track.id}`))).playCount).toBe(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    // The same listen reported again at its end is queued, but is not a second play.
    expect(await json(await call("POST", path, { token: listener.token, body: { listenedMs: 240_000 } }))).toEqual(
      accepted(true),
    );
    await playsSettled();
    expect(await playCountOf(track.id)).toBe(1);
    const history = await json(await call("GET", "/api/v1/me/history", { token: listener.token }));
    expect(history.items).toHaveLength(1);
    expect(history.items[0]).toMatchObject({ listenedMs: 30_000, track: { id: track.id, playCount: 1 } });
  });

  it("counts half of a short track, and tells listens apart by listenId", async () => {
    const owner = await registerUser();
    const listener = await registerUser();
    const track = await createTrack(owner, { durationMs: 20_000 });
    const path = `/api/v1/tracks/${track.id}/plays`;
    const report = async (body: object) => json(await call("POST", path, { token: listener.token, body }));
    expect(await report({ listenedMs: 9_999 })).toEqual(accepted(false));
    expect(await report({ listenedMs: 10_000, listenId: "a" })).toEqual(accepted(true));
    expect(await report({ listenedMs: 20_000, listenId: "a" })).toEqual(accepted(true));
    await playsSettled();
    expect(await playCountOf(track.id)).toBe(1);
    const history = await json(await call("GET", "/api/v1/me/history", { token: listener.token }));
    expect(history.items.map((i: any) => [i.track.id, i.listenedMs])).toEqual([[track.id, 10_000]]);
  });

  it("clamps a claimed listen to the track's length and counts one play for a burst of listen ids", async () => {
    const owner = await registerUser();
    const listener = await registerUser();
    const track = await createTrack(owner, { durationMs: 4_000 });
    const path = `/api/v1/tracks/${track.id}/plays`;
    for (let k = 0; k < 8; k++) {
      const body = { listenedMs: 86_400_000, listenId: `burst-${k}` };
      expect(await json(await call("POST", path, { token: listener.token, body }))).toEqual(accepted(true));
      expect(await json(await call("POST", path, { body, ip: "192.0.2.77" }))).toEqual(accepted(true));
    }
    await playsSettled();
    // One per listener: eight listens of a 4-second track cannot fit in the second the burst took.
    expect(await playCountOf(track.id)).toBe(2);
    const history = await json(await call("GET", "/api/v1/me/history", { token: listener.token }));
    expect(history.items.map((i: any) => i.listenedMs)).toEqual([4_000]);
    const trending = await json(await call("GET", "/api/v1/discover/trending?limit=100"));
    expect(trending.items.find((t: any) => t.id === track.id)?.recentPlays).toBe(2);
  });

  it("counts anonymous listeners by address, and different listeners separately", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    const path = `/api/v1/tracks/${track.id}/plays`;
    const body = { listenedMs: 45_000 };
    expect(await json(await call("POST", path, { body, ip: "192.0.2.1" }))).toEqual(accepted(true));
    expect(await json(await call("POST", path, { body, ip: "192.0.2.1" }))).toEqual(accepted(true));
    expect(await json(await call("POST", path, { body, ip: "192.0.2.2" }))).toEqual(accepted(true));
    await playsSettled();
    expect(await playCountOf(track.id)).toBe(2);
  });

  it("refuses a negative or missing duration, a private track and a track not ready", async () => {
    const owner = await registerUser();
    const track = await createTrack(owner);
    const hidden = await createTrack(owner, { visibility: "private" });
    const processing = await createTrack(owner, { status: "processing" });
    expect((await call("POST", `/api/v1/tracks/${track.id}/plays`, { body: { listenedMs: -5 } })).status).toBe(400);
    expect((await call("POST", `/api/v1/tracks/${track.id}/plays`, { body: {} })).status).toBe(400);
    expect((await call("POST", `/api/v1/tracks/${hidden.id}/plays`, { body: { listenedMs: 60_000 } })).status).toBe(
      404,
    );
    const notReady = await call("POST", `/api/v1/tracks/${processing.id}/plays`, {
      token: owner.token,
      body: { listenedMs: 60_000 },
    });
    expect(notReady.status).toBe(409);
    expectErrorEnvelope(await json(notReady), "track_not_ready");
    expect((await call("GET", "/api/v1/me/history")).status).toBe(401);
  });
});
