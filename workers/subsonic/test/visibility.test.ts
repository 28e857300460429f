import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { uniqueWord } from "../../catalog/test/fixtures.ts";
import { json } from "../../test/http.ts";
import {
  keyAuth,
  type PlayableTrack,
  playableTrack,
  rest,
  restJson,
  type SubsonicUser,
  subsonicUser,
} from "./fixtures.ts";

// A private track must not leak to another listener by any path; its owner still sees it.
let owner: SubsonicUser;
let other: SubsonicUser;
let hidden: PlayableTrack;
let onlyPrivateOwner: SubsonicUser;
const word = uniqueWord("secret");

beforeAll(async () => {
  owner = await subsonicUser();
  other = await subsonicUser();
  onlyPrivateOwner = await subsonicUser();
  await playableTrack(owner, { title: `${word} public`, genre: word });
  hidden = await playableTrack(owner, { title: `${word} private`, genre: word, visibility: "private" });
  await env.MEDIA.put(`tracks/${hidden.id}/cover`, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), {
    httpMetadata: { contentType: "image/jpeg" },
  });
  await env.DB.prepare("UPDATE tracks SET cover_key = ?1 WHERE id = ?2")
    .bind(`tracks/${hidden.id}/cover`, hidden.id)
    .run();
  await playableTrack(onlyPrivateOwner, { title: `${word} alone`, visibility: "private" });
});

const ids = (songs: { id: string }[] | undefined) => (songs ?? []).map((s) => s.id);

describe("a private track", () => {
  it("is missing (70) when asked for by id: getSong, stream, download, getCoverArt, lyrics", async () => {
    for (const method of ["getSong", "stream", "download", "getCoverArt", "getLyricsBySongId"]) {
      const body = await restJson(method, keyAuth(other), { id: hidden.id });
      expect(body.error?.code, method).toBe(70);
    }
    const ranged = await rest("stream", keyAuth(other), { id: hidden.id }, { headers: { range: "bytes=0-99" } });
    expect(ranged.headers.get("content-type")).toMatch(/xml/);
  });

  it("appears in no list, search or album for anyone else", async () => {
    const search = await restJson("search3", keyAuth(other), { query: word, songCount: 100 });
    expect(ids(search.searchResult3.song)).not.toContain(hidden.id);
    expect(ids(search.searchResult3.song)).toHaveLength(1);
    const everything = await restJson("search3", keyAuth(other), { query: "", songCount: 500 });
    expect(ids(everything.searchResult3.song)).not.toContain(hidden.id);
    const byGenre = await restJson("getSongsByGenre", keyAuth(other), { genre: word, count: 100 });
    expect(ids(byGenre.songsByGenre.song)).not.toContain(hidden.id);
    const random = await restJson("getRandomSongs", keyAuth(other), { size: 500, genre: word });
    expect(ids(random.randomSongs.song)).not.toContain(hidden.id);
    const singles = await restJson("getAlbum", keyAuth(other), { id: `si-${owner.id}` });
    expect(ids(singles.album.song)).not.toContain(hidden.id);
    expect(singles.album.songCount).toBe(1);
    const top = await restJson("getTopSongs", keyAuth(other), {
      artist: (await restJson("getUser", keyAuth(owner))).user.username,
    });
    expect(ids(top.topSongs?.song)).not.toContain(hidden.id);
  });

  it("does not make its owner an artist for others, or an album", async () => {
    const artists = await restJson("getArtists", keyAuth(other));
    const all = artists.artists.index.flatMap((i: { artist: { id: string }[] }) => i.artist);
    expect(all.map((a: { id: string }) => a.id)).not.toContain(`ar-${onlyPrivateOwner.id}`);
    expect((await restJson("getArtist", keyAuth(other), { id: `ar-${onlyPrivateOwner.id}` })).error.code).toBe(70);
    expect((await restJson("getAlbum", keyAuth(other), { id: `si-${onlyPrivateOwner.id}` })).error.code).toBe(70);
    expect((await restJson("getCoverArt", keyAuth(other), { id: `si-${onlyPrivateOwner.id}` })).error.code).toBe(70);
    const list = await restJson("getAlbumList2", keyAuth(other), { type: "newest", size: 500 });
    expect(ids(list.albumList2.album)).not.toContain(`si-${onlyPrivateOwner.id}`);
  });

  it("cannot be starred, scrobbled, queued or put in a playlist by someone else", async () => {
    expect((await restJson("star", keyAuth(other), { id: hidden.id })).error.code).toBe(70);
    expect((await restJson("scrobble", keyAuth(other), { id: hidden.id })).error.code).toBe(70);
    expect((await restJson("setRating", keyAuth(other), { id: hidden.id, rating: 5 })).error.code).toBe(70);
    expect((await restJson("createPlaylist", keyAuth(other), { name: "x", songId: hidden.id })).error.code).toBe(70);
    await restJson("savePlayQueue", keyAuth(other), { id: hidden.id });
    expect((await restJson("getPlayQueue", keyAuth(other))).playQueue).toBeUndefined();
  });

  it("is its owner's to see, stream and find", async () => {
    expect((await restJson("getSong", keyAuth(owner), { id: hidden.id })).song.id).toBe(hidden.id);
    const search = await restJson("search3", keyAuth(owner), { query: word });
    expect(ids(search.searchResult3.song)).toContain(hidden.id);
    const stream = await rest("stream", keyAuth(owner), { id: hidden.id });
    expect(stream.status).toBe(200);
    expect(new Uint8Array(await stream.arrayBuffer())).toEqual(hidden.high);
    const cover = await rest("getCoverArt", keyAuth(owner), { id: hidden.id });
    expect(cover.headers.get("content-type")).toBe("image/jpeg");
    await cover.arrayBuffer();
  });

  it("is gone with the rest of a disabled account's songs", async () => {
    const disabled = await subsonicUser();
    const song = await playableTrack(disabled, { title: `${word} disabled` });
    expect((await restJson("getSong", keyAuth(other), { id: song.id })).song.id).toBe(song.id);
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(disabled.id).run();
    expect((await restJson("getSong", keyAuth(other), { id: song.id })).error.code).toBe(70);
    expect((await restJson("stream", keyAuth(other), { id: song.id })).error.code).toBe(70);
    const search = await restJson("search3", keyAuth(other), { query: `${word} disabled` });
    expect(ids(search.searchResult3.song)).toEqual([]);
    expect((await restJson("getArtist", keyAuth(other), { id: `ar-${disabled.id}` })).error.code).toBe(70);
  });

  it("stays hidden once an account is disabled (its credentials stop working)", async () => {
    const gone = await subsonicUser();
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(gone.id).run();
    const response = await rest("getSong", keyAuth(gone), { id: hidden.id, f: "json" });
    expect((await json(response))["subsonic-response"].error.code).toBe(44);
  });
});
