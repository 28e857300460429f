import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { uniqueWord } from "../../catalog/test/fixtures.ts";
import { call, json } from "../../test/http.ts";
import {
  attributeNames,
  child,
  children,
  keyAuth,
  type PlayableTrack,
  playableTrack,
  restJson,
  restXml,
  type SubsonicUser,
  subsonicUser,
  tokenAuth,
} from "./fixtures.ts";

// One artist with an album of two songs and one single, browsed the way DSub does (XML).
let artist: SubsonicUser;
let listener: SubsonicUser;
let albumId: string;
let first: PlayableTrack;
let second: PlayableTrack;
let single: PlayableTrack;
const genre = uniqueWord("genre");
const word = uniqueWord("song");

beforeAll(async () => {
  artist = await subsonicUser();
  listener = await subsonicUser();
  await env.DB.prepare("UPDATE users SET display_name = ?1 WHERE id = ?2").bind(`Zed ${word}`, artist.id).run();
  first = await playableTrack(artist, { title: `${word} one`, genre, durationMs: 200_000 });
  second = await playableTrack(artist, { title: `${word} two`, genre, durationMs: 100_000 });
  single = await playableTrack(artist, { title: `${word} single`, genre: "" });
  const album = await json(
    await call("POST", "/api/v1/albums", {
      token: artist.token,
      body: { title: `Album ${word}`, releasedOn: "2024-05-01" },
    }),
  );
  albumId = album.id;
  const set = await call("PUT", `/api/v1/albums/${albumId}/tracks`, {
    token: artist.token,
    body: { trackIds: [second.id, first.id] },
  });
  if (set.status !== 200) throw new Error(`album tracks: ${set.status} ${await set.text()}`);
});

const SONG_ATTRIBUTES = [
  "id",
  "parent",
  "isDir",
  "title",
  "album",
  "artist",
  "track",
  "year",
  "genre",
  "coverArt",
  "size",
  "contentType",
  "suffix",
  "duration",
  "bitRate",
  "path",
  "playCount",
  "created",
  "albumId",
  "artistId",
  "type",
  "isVideo",
];

describe("browsing by ID3 tags, as XML", () => {
  it("getArtists: <artists><index name><artist id name albumCount coverArt/>", async () => {
    const root = await restXml("getArtists", tokenAuth(listener));
    const indexes = children(child(root, "artists"), "index");
    const z = indexes.find((i) => i.getAttribute("name") === "Z");
    const entry = children(z!, "artist").find((a) => a.getAttribute("name") === `Zed ${word}`);
    expect(entry?.getAttribute("id")).toBe(`ar-${artist.id}`);
    expect(entry?.getAttribute("albumCount")).toBe("2");
    expect(attributeNames(entry!)).toEqual(expect.arrayContaining(["id", "name", "albumCount", "coverArt"]));
  });

  it("getArtist: the artist with its <album> list (the album and the singles)", async () => {
    const root = await restXml("getArtist", tokenAuth(listener), { id: `ar-${artist.id}` });
    const albums = children(child(root, "artist"), "album");
    expect(albums.map((a) => a.getAttribute("name")).sort()).toEqual([`Album ${word}`, "Singles"]);
    const album = albums.find((a) => a.getAttribute("id") === `al-${albumId}`)!;
    expect(attributeNames(album)).toEqual(
      expect.arrayContaining([
        "id",
        "name",
        "artist",
        "artistId",
        "coverArt",
        "songCount",
        "duration",
        "created",
        "year",
      ]),
    );
    expect(album.getAttribute("songCount")).toBe("2");
    expect(album.getAttribute("duration")).toBe("300");
    expect(album.getAttribute("year")).toBe("2024");
  });

  it("getAlbum: the album's <song> children in album order with every attribute DSub reads", async () => {
    const root = await restXml("getAlbum", tokenAuth(listener), { id: `al-${albumId}` });
    const songs = children(child(root, "album"), "song");
    expect(songs.map((s) => s.getAttribute("id"))).toEqual([second.id, first.id]);
    expect(attributeNames(songs[0]!)).toEqual(expect.arrayContaining(SONG_ATTRIBUTES));
    expect(songs[0]!.getAttribute("track")).toBe("1");
    expect(songs[0]!.getAttribute("suffix")).toBe("m4a");
    expect(songs[0]!.getAttribute("contentType")).toBe("audio/mp4");
    expect(songs[0]!.getAttribute("bitRate")).toBe("256");
    expect(songs[0]!.getAttribute("size")).toBe("40000");
    expect(songs[0]!.getAttribute("duration")).toBe("100");
    expect(songs[0]!.getAttribute("isDir")).toBe("false");
    const gain = child(songs[0]!, "replayGain");
    expect(Number(gain.getAttribute("trackGain"))).toBeCloseTo(-5.5);
    expect(Number(gain.getAttribute("trackPeak"))).toBeCloseTo(0.8913, 3);
  });

  it("getSong, getArtistInfo2 and getAlbumInfo2 answer for visible items", async () => {
    const song = await restJson("getSong", keyAuth(listener), { id: single.id });
    expect(song.song).toMatchObject({ id: single.id, album: "Singles", albumId: `si-${artist.id}`, mediaType: "song" });
    expect(song.song.replayGain).toEqual({ trackGain: -5.5, trackPeak: expect.any(Number) });
    expect(
      (await restJson("getArtistInfo2", keyAuth(listener), { id: `ar-${artist.id}` })).artistInfo2.biography,
    ).toContain(artist.username);
    expect((await restJson("getAlbumInfo2", keyAuth(listener), { id: `al-${albumId}` })).albumInfo).toBeDefined();
  });

  it("getGenres: <genre songCount albumCount>name</genre>", async () => {
    const root = await restXml("getGenres", tokenAuth(listener));
    const entry = children(child(root, "genres"), "genre").find((g) => g.textContent === genre);
    expect(entry?.getAttribute("songCount")).toBe("2");
    expect(entry?.getAttribute("albumCount")).toBe("1");
  });
});

describe("browsing by folders, as older clients do", () => {
  it("getIndexes, then getMusicDirectory of the artist and of an album", async () => {
    const root = await restXml("getIndexes", tokenAuth(listener));
    const indexes = child(root, "indexes");
    expect(indexes.getAttribute("lastModified")).toMatch(/^\d+$/);
    const all = children(indexes, "index").flatMap((i) => children(i, "artist"));
    expect(all.some((a) => a.getAttribute("id") === `ar-${artist.id}`)).toBe(true);

    const artistDir = child(
      await restXml("getMusicDirectory", tokenAuth(listener), { id: `ar-${artist.id}` }),
      "directory",
    );
    expect(artistDir.getAttribute("name")).toBe(`Zed ${word}`);
    const albums = children(artistDir, "child");
    expect(albums.every((c) => c.getAttribute("isDir") === "true")).toBe(true);
    expect(albums.map((c) => c.getAttribute("title")).sort()).toEqual([`Album ${word}`, "Singles"]);

    const albumDir = child(
      await restXml("getMusicDirectory", tokenAuth(listener), { id: `al-${albumId}` }),
      "directory",
    );
    const songs = children(albumDir, "child");
    expect(songs.map((s) => s.getAttribute("id"))).toEqual([second.id, first.id]);
    expect(attributeNames(songs[0]!)).toEqual(expect.arrayContaining(SONG_ATTRIBUTES));
  });
});

describe("lists and search", () => {
  it("getAlbumList2 answers every type, and getAlbumList the same as <albumList>", async () => {
    const types: Record<string, Record<string, string | number>> = {
      random: {},
      newest: {},
      highest: {},
      frequent: {},
      recent: {},
      alphabeticalByName: {},
      alphabeticalByArtist: {},
      starred: {},
      byYear: { fromYear: 2024, toYear: 2024 },
      byGenre: { genre },
    };
    for (const [type, extra] of Object.entries(types)) {
      const body = await restJson("getAlbumList2", tokenAuth(listener), { type, size: 500, ...extra });
      expect(body.status, type).toBe("ok");
      expect(Array.isArray(body.albumList2.album), type).toBe(true);
    }
    const byGenre = await restJson("getAlbumList2", tokenAuth(listener), { type: "byGenre", genre });
    expect(byGenre.albumList2.album.map((a: { id: string }) => a.id)).toEqual([`al-${albumId}`]);
    const byYear = await restJson("getAlbumList2", tokenAuth(listener), {
      type: "byYear",
      fromYear: 2025,
      toYear: 2023,
      size: 500,
    });
    expect(byYear.albumList2.album.map((a: { id: string }) => a.id)).toContain(`al-${albumId}`);
    expect((await restJson("getAlbumList2", tokenAuth(listener), { type: "byYear" })).error.code).toBe(10);
    expect((await restJson("getAlbumList2", tokenAuth(listener), { type: "byGenre" })).error.code).toBe(10);
    expect((await restJson("getAlbumList2", tokenAuth(listener), { type: "sideways" })).error.code).toBe(0);
    expect((await restJson("getAlbumList2", tokenAuth(listener), { type: "newest", size: 501 })).error.code).toBe(0);
    const old = child(
      await restXml("getAlbumList", tokenAuth(listener), { type: "alphabeticalByName", size: 500 }),
      "albumList",
    );
    expect(children(old, "album").some((a) => a.getAttribute("id") === `al-${albumId}`)).toBe(true);
  });

  it("search3 finds songs, albums and artists; an empty query pages through everything", async () => {
    const found = child(await restXml("search3", tokenAuth(listener), { query: word }), "searchResult3");
    expect(
      children(found, "song")
        .map((s) => s.getAttribute("id"))
        .sort(),
    ).toEqual([first.id, second.id, single.id].sort());
    expect(children(found, "album").map((a) => a.getAttribute("id"))).toEqual([`al-${albumId}`]);
    expect(children(found, "artist").map((a) => a.getAttribute("id"))).toEqual([`ar-${artist.id}`]);

    const seen = new Set<string>();
    for (let offset = 0; ; offset += 2) {
      const page = await restJson("search3", keyAuth(listener), {
        query: '""',
        songCount: 2,
        songOffset: offset,
        artistCount: 0,
        albumCount: 0,
      });
      const songs = page.searchResult3.song as { id: string }[];
      for (const song of songs) seen.add(song.id);
      if (songs.length < 2) break;
    }
    expect([first.id, second.id, single.id].every((id) => seen.has(id))).toBe(true);
    const old = child(await restXml("search2", tokenAuth(listener), { query: word }), "searchResult2");
    expect(children(old, "song")).toHaveLength(3);
  });

  it("getSongsByGenre, getRandomSongs, getTopSongs and getSimilarSongs2", async () => {
    const byGenre = await restJson("getSongsByGenre", keyAuth(listener), { genre, count: 10 });
    expect(byGenre.songsByGenre.song.map((s: { id: string }) => s.id).sort()).toEqual([first.id, second.id].sort());
    const random = await restJson("getRandomSongs", keyAuth(listener), { size: 5, genre });
    expect(random.randomSongs.song).toHaveLength(2);
    const top = await restJson("getTopSongs", keyAuth(listener), { artist: `Zed ${word}` });
    expect(top.topSongs.song).toHaveLength(3);
    const similar = await restJson("getSimilarSongs2", keyAuth(listener), { id: `ar-${artist.id}` });
    expect(similar.similarSongs2.song.length).toBeGreaterThan(0);
    expect((await restJson("getSimilarSongs2", keyAuth(listener), { id: "ar-nobody" })).error.code).toBe(70);
  });

  it("getUser answers for the caller and refuses others (50)", async () => {
    const own = await restXml("getUser", tokenAuth(listener), { username: listener.username });
    const user = child(own, "user");
    expect(user.getAttribute("username")).toBe(listener.username);
    expect(user.getAttribute("streamRole")).toBe("true");
    expect((await restJson("getUser", tokenAuth(listener), { username: artist.username })).error.code).toBe(50);
  });
});
