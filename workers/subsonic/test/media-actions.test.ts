import { describe, expect, it } from "vitest";
import { playCountOf, playsSettled } from "../../catalog/test/fixtures.ts";
import { call, json } from "../../test/http.ts";
import { keyAuth, playableTrack, rest, restJson, subsonicUser, tokenAuth } from "./fixtures.ts";

describe("stream and download", () => {
  it("serves the best rendition with ranges and HEAD, and counts no play", async () => {
    const owner = await subsonicUser();
    const listener = await subsonicUser();
    const track = await playableTrack(owner);
    const ranged = await rest("stream", tokenAuth(listener), { id: track.id }, { headers: { range: "bytes=100-199" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 100-199/${track.high.byteLength}`);
    expect(ranged.headers.get("content-type")).toBe("audio/mp4");
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(track.high.subarray(100, 200));
    const head = await rest("stream", tokenAuth(listener), { id: track.id }, { httpMethod: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(track.high.byteLength));
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    const beyond = await rest("stream", tokenAuth(listener), { id: track.id }, { headers: { range: "bytes=999999-" } });
    expect(beyond.status).toBe(416);
    await playsSettled();
    expect(await playCountOf(track.id)).toBe(0);
  });

  it("picks the nearest rendition under maxBitRate, and the smallest when none fits", async () => {
    const owner = await subsonicUser();
    const track = await playableTrack(owner);
    const capped = await rest("stream", keyAuth(owner), { id: track.id, maxBitRate: 192 });
    expect(new Uint8Array(await capped.arrayBuffer())).toEqual(track.medium);
    const tiny = await rest("stream", keyAuth(owner), { id: track.id, maxBitRate: 32 });
    expect(new Uint8Array(await tiny.arrayBuffer())).toEqual(track.medium);
    const any = await rest("stream", keyAuth(owner), { id: track.id, maxBitRate: 0, format: "mp3" });
    expect(new Uint8Array(await any.arrayBuffer())).toEqual(track.high);
  });

  it("gives the original (format=raw, download) to its owner only", async () => {
    const owner = await subsonicUser();
    const listener = await subsonicUser();
    const track = await playableTrack(owner);
    const raw = await rest("stream", keyAuth(owner), { id: track.id, format: "raw" });
    expect(raw.headers.get("content-type")).toBe("audio/flac");
    expect((await raw.arrayBuffer()).byteLength).toBe(60_000);
    const download = await rest("download", keyAuth(owner), { id: track.id });
    expect(download.headers.get("content-disposition")).toMatch(/^attachment/);
    await download.arrayBuffer();
    const rawForListener = await rest("stream", keyAuth(listener), { id: track.id, format: "raw" });
    expect(new Uint8Array(await rawForListener.arrayBuffer())).toEqual(track.high);
    expect((await restJson("download", keyAuth(listener), { id: track.id })).error.code).toBe(50);
  });

  it("returns lyrics from the file's tags", async () => {
    const owner = await subsonicUser();
    const track = await playableTrack(owner);
    const body = await restJson("getLyricsBySongId", keyAuth(owner), { id: track.id });
    const [lyrics] = body.lyricsList.structuredLyrics;
    expect(lyrics.synced).toBe(false);
    expect(lyrics.line.map((l: { value: string }) => l.value)).toEqual(["first line", "second line"]);
  });
});

describe("stars, ratings, scrobbles and now playing", () => {
  it("star and unstar are Veza likes, listed by getStarred2", async () => {
    const owner = await subsonicUser();
    const listener = await subsonicUser();
    const a = await playableTrack(owner);
    const b = await playableTrack(owner);
    expect((await restJson("star", keyAuth(listener), { id: [a.id, b.id] })).status).toBe("ok");
    const likes = await json(await call("GET", "/api/v1/me/likes", { token: listener.token }));
    expect(likes.items.map((t: { id: string }) => t.id).sort()).toEqual([a.id, b.id].sort());
    const starred = await restJson("getStarred2", keyAuth(listener));
    expect(starred.starred2.song.map((s: { id: string }) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(starred.starred2.song[0].starred).toEqual(expect.any(String));
    await restJson("unstar", keyAuth(listener), { id: a.id });
    const after = await restJson("getStarred", keyAuth(listener));
    expect(after.starred.song.map((s: { id: string }) => s.id)).toEqual([b.id]);
    expect((await restJson("star", keyAuth(listener), { albumId: `si-${owner.id}` })).error.code).toBe(0);
    expect((await restJson("star", keyAuth(listener), { id: "nope" })).error.code).toBe(70);
  });

  it("setRating stores a 1–5 rating shown as userRating; 0 removes it", async () => {
    const owner = await subsonicUser();
    const track = await playableTrack(owner);
    await restJson("setRating", keyAuth(owner), { id: track.id, rating: 4 });
    expect((await restJson("getSong", keyAuth(owner), { id: track.id })).song.userRating).toBe(4);
    await restJson("setRating", keyAuth(owner), { id: track.id, rating: 0 });
    expect((await restJson("getSong", keyAuth(owner), { id: track.id })).song.userRating).toBeUndefined();
    expect((await restJson("setRating", keyAuth(owner), { id: track.id, rating: 6 })).error.code).toBe(0);
    expect((await restJson("setRating", keyAuth(owner), { id: track.id })).error.code).toBe(10);
  });

  it("scrobble with submission=false is now playing; a submission counts one play per listen", async () => {
    const owner = await subsonicUser();
    const listener = await subsonicUser();
    const track = await playableTrack(owner);
    await restJson("scrobble", tokenAuth(listener), { id: track.id, submission: "false", c: "DSub" });
    const playing = await restJson("getNowPlaying", keyAuth(owner));
    const entry = playing.nowPlaying.entry.find((e: { id: string }) => e.id === track.id);
    expect(entry).toMatchObject({ username: listener.username, playerName: "DSub", minutesAgo: 0 });
    expect(await playCountOf(track.id)).toBe(0);

    const time = Date.now();
    await restJson("scrobble", tokenAuth(listener), { id: track.id, time });
    await restJson("scrobble", tokenAuth(listener), { id: track.id, time });
    await playsSettled();
    expect(await playCountOf(track.id)).toBe(1);
    const song = await restJson("getSong", keyAuth(listener), { id: track.id });
    expect(song.song.playCount).toBe(1);
    expect(song.song.played).toEqual(expect.any(String));
    expect((await restJson("scrobble", tokenAuth(listener), { id: track.id, time: "yesterday" })).error.code).toBe(0);
  });

  it("scrobble with submission=false sets the global status followers see, unless the user hides it", async () => {
    const owner = await subsonicUser();
    const listener = await subsonicUser();
    const fan = await subsonicUser();
    const [first, second] = [await playableTrack(owner), await playableTrack(owner)];
    expect((await call("POST", `/api/v1/users/${listener.username}/follow`, { token: fan.token })).status).toBeLessThan(
      300,
    );
    const statusSeenByFan = async () =>
      json(await call("GET", `/api/v1/users/${listener.username}/status`, { token: fan.token }));

    await restJson("scrobble", keyAuth(listener), { id: first.id, submission: "false" });
    expect(await statusSeenByFan()).toMatchObject({ online: true, track: { id: first.id, title: first.title } });

    const hide = await call("PUT", "/api/v1/me/status", { token: listener.token, body: { hidden: true } });
    expect(hide.status).toBe(200);
    await restJson("scrobble", keyAuth(listener), { id: second.id, submission: "false" });
    expect(await statusSeenByFan()).toMatchObject({ online: false, track: null, lastSeenAt: null });
    const mine = await json(await call("GET", `/api/v1/users/${listener.username}/status`, { token: listener.token }));
    expect(mine.track).toBeNull();
  });
});

describe("playlists", () => {
  it("create (with songs), get, update (rename, public, add, remove by index), delete", async () => {
    const owner = await subsonicUser();
    const listener = await subsonicUser();
    const [a, b, c] = [await playableTrack(owner), await playableTrack(owner), await playableTrack(owner)];
    const created = await restJson("createPlaylist", keyAuth(listener), { name: "Road trip", songId: [a.id, b.id] });
    const id = created.playlist.id;
    expect(created.playlist).toMatchObject({
      name: "Road trip",
      owner: listener.username,
      public: false,
      songCount: 2,
    });
    expect(created.playlist.entry.map((e: { id: string }) => e.id)).toEqual([a.id, b.id]);

    await restJson("updatePlaylist", keyAuth(listener), {
      playlistId: id,
      name: "Road trip 2",
      public: "true",
      songIdToAdd: c.id,
      songIndexToRemove: 0,
    });
    const got = await restJson("getPlaylist", keyAuth(listener), { id });
    expect(got.playlist).toMatchObject({ name: "Road trip 2", public: true, songCount: 2 });
    expect(got.playlist.entry.map((e: { id: string }) => e.id)).toEqual([b.id, c.id]);
    const list = await restJson("getPlaylists", keyAuth(listener));
    expect(list.playlists.playlist.map((p: { id: string }) => p.id)).toEqual([id]);
    const api = await json(await call("GET", `/api/v1/playlists/${id}`, { token: listener.token }));
    expect(api).toMatchObject({ title: "Road trip 2", visibility: "public", trackCount: 2 });

    const replaced = await restJson("createPlaylist", keyAuth(listener), { playlistId: id, songId: [c.id, a.id] });
    expect(replaced.playlist.entry.map((e: { id: string }) => e.id)).toEqual([c.id, a.id]);
    expect(
      (await restJson("updatePlaylist", keyAuth(listener), { playlistId: id, songIndexToRemove: 9 })).error.code,
    ).toBe(0);
    expect((await restJson("deletePlaylist", keyAuth(owner), { id })).error.code).toBe(50);
    expect((await restJson("deletePlaylist", keyAuth(listener), { id })).status).toBe("ok");
    expect((await restJson("getPlaylist", keyAuth(listener), { id })).error.code).toBe(70);
    expect((await restJson("createPlaylist", keyAuth(listener), {})).error.code).toBe(10);
  });

  it("hides someone's private playlist from others", async () => {
    const owner = await subsonicUser();
    const other = await subsonicUser();
    const created = await restJson("createPlaylist", keyAuth(owner), { name: "Mine" });
    expect((await restJson("getPlaylist", keyAuth(other), { id: created.playlist.id })).error.code).toBe(70);
  });
});

describe("play queue", () => {
  it("saves a queue on one device and resumes it on another", async () => {
    const owner = await subsonicUser();
    const [a, b] = [await playableTrack(owner), await playableTrack(owner)];
    await restJson("savePlayQueue", keyAuth(owner), { id: [a.id, b.id], current: b.id, position: 42_000, c: "phone" });
    const queue = await restJson("getPlayQueue", tokenAuth(owner));
    expect(queue.playQueue).toMatchObject({
      current: b.id,
      position: 42_000,
      changedBy: "phone",
      username: owner.username,
    });
    expect(queue.playQueue.entry.map((e: { id: string }) => e.id)).toEqual([a.id, b.id]);
    await restJson("savePlayQueue", keyAuth(owner), {});
    expect((await restJson("getPlayQueue", keyAuth(owner))).playQueue).toBeUndefined();
  });
});
