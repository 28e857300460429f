import { type AlbumOrder, listAlbums, listArtists, listSongs, searchSongs, songsByIds } from "../catalog/library.ts";
import { currentlyPlaying } from "../catalog/listening.ts";
import type { Call, Method } from "./call.ts";
import { badValue, missingParameter, notFound } from "./envelope.ts";
import { parseId, toAlbum, toArtist, toChild } from "./mapping.ts";

/** Lists, search, starred and now playing. */

const MAX_PAGE = 500;

const ALBUM_ORDERS = new Set<AlbumOrder>([
  "random",
  "newest",
  "highest",
  "frequent",
  "recent",
  "alphabeticalByName",
  "alphabeticalByArtist",
  "starred",
  "byYear",
  "byGenre",
]);

async function albumList(call: Call) {
  const { params } = call;
  const type = params.required("type") as AlbumOrder;
  if (!ALBUM_ORDERS.has(type)) throw badValue("type", `unknown list type '${type}'.`);
  const query = {
    order: type,
    limit: params.int("size", 10, 1, MAX_PAGE),
    offset: params.int("offset", 0, 0),
    genre: type === "byGenre" ? params.required("genre") : undefined,
    fromYear: type === "byYear" ? params.requiredInt("fromYear", 0, 9999) : undefined,
    toYear: type === "byYear" ? params.requiredInt("toYear", 0, 9999) : undefined,
  };
  return (await listAlbums(call.db, call.viewer, query)).map((a) => toAlbum(a));
}

export const getAlbumList2: Method = async (call) => ({ albumList2: { album: await albumList(call) } });
export const getAlbumList: Method = async (call) => ({ albumList: { album: await albumList(call) } });

export const getRandomSongs: Method = async ({ db, viewer, params }) => {
  const from = params.int("fromYear", 0, 0, 9999);
  const to = params.int("toYear", 9999, 0, 9999);
  const songs = await listSongs(db, viewer, {
    order: "random",
    limit: params.int("size", 10, 1, MAX_PAGE),
    genre: params.get("genre") || undefined,
    fromYear: params.has("fromYear") || params.has("toYear") ? Math.min(from, to) : undefined,
    toYear: params.has("fromYear") || params.has("toYear") ? Math.max(from, to) : undefined,
  });
  return { randomSongs: { song: songs.map(toChild) } };
};

export const getSongsByGenre: Method = async ({ db, viewer, params }) => {
  const songs = await listSongs(db, viewer, {
    genre: params.required("genre"),
    order: "newest",
    limit: params.int("count", 10, 1, MAX_PAGE),
    offset: params.int("offset", 0, 0),
  });
  return { songsByGenre: { song: songs.map(toChild) } };
};

export const getTopSongs: Method = async ({ db, viewer, params }) => {
  const name = params.required("artist").toLowerCase();
  const artist = (await listArtists(db, viewer)).find((a) => a.displayName.toLowerCase() === name);
  const songs = artist
    ? await listSongs(db, viewer, { ownerId: artist.id, order: "plays", limit: params.int("count", 50, 1, MAX_PAGE) })
    : [];
  return { topSongs: { song: songs.map(toChild) } };
};

/** Songs like an artist's or a song's: the same genre, else the same artist, in random order. */
async function similarSongs(call: Call) {
  const { db, viewer, params } = call;
  const parsed = parseId(params.required("id"));
  const count = params.int("count", 50, 1, MAX_PAGE);
  let ownerId: string;
  let genre = "";
  if (parsed.kind === "artist") {
    const [artist] = await listArtists(db, viewer, { id: parsed.userId });
    if (!artist) throw notFound("Artist");
    ownerId = artist.id;
    genre = (await listSongs(db, viewer, { ownerId, order: "plays", limit: 1 }))[0]?.track.genre ?? "";
  } else if (parsed.kind === "song") {
    const [song] = await songsByIds(db, viewer, [parsed.trackId]);
    if (!song) throw notFound("Song");
    ownerId = song.owner.id;
    genre = song.track.genre;
  } else {
    const [album] = await listAlbums(db, viewer, { key: parsed.key, limit: 1 });
    if (!album) throw notFound("Album");
    ownerId = album.ownerId;
    genre = album.genre;
  }
  const songs = genre ? await listSongs(db, viewer, { genre, order: "random", limit: count }) : [];
  return songs.length > 0 ? songs : listSongs(db, viewer, { ownerId, order: "random", limit: count });
}

export const getSimilarSongs2: Method = async (call) => ({
  similarSongs2: { song: (await similarSongs(call)).map(toChild) },
});
export const getSimilarSongs: Method = async (call) => ({
  similarSongs: { song: (await similarSongs(call)).map(toChild) },
});

async function starred({ db, viewer }: Call) {
  const [songs, albums] = await Promise.all([
    listSongs(db, viewer, { starredOnly: true, order: "newest", limit: 5000 }),
    listAlbums(db, viewer, { order: "starred", limit: 5000 }),
  ]);
  return { artist: [], album: albums.map((a) => toAlbum(a)), song: songs.map(toChild) };
}

export const getStarred2: Method = async (call) => ({ starred2: await starred(call) });
export const getStarred: Method = async (call) => ({ starred: await starred(call) });

/** Clients send `""` (two quote characters) for "everything" as often as an empty string. */
function searchText(call: Call): string {
  const query = call.params.get("query");
  if (query === undefined) throw missingParameter("query");
  return query.replace(/^"+|"+$/g, "").trim();
}

async function search(call: Call) {
  const { db, viewer, params } = call;
  const query = searchText(call);
  const page = (name: string) => ({
    limit: params.int(`${name}Count`, 20, 0, MAX_PAGE),
    offset: params.int(`${name}Offset`, 0, 0),
  });
  const [artistPage, albumPage, songPage] = [page("artist"), page("album"), page("song")];
  const [artists, albums, songs] = await Promise.all([
    artistPage.limit === 0 ? [] : listArtists(db, viewer, { query: query || undefined, ...artistPage }),
    albumPage.limit === 0
      ? []
      : listAlbums(db, viewer, {
          order: "alphabeticalByName",
          titleQuery: query || undefined,
          ...albumPage,
        }),
    songPage.limit === 0 ? [] : searchSongs(db, viewer, query, songPage.limit, songPage.offset),
  ]);
  return { artist: artists.map(toArtist), album: albums.map((a) => toAlbum(a)), song: songs.map(toChild) };
}

export const search3: Method = async (call) => ({ searchResult3: await search(call) });
export const search2: Method = async (call) => ({ searchResult2: await search(call) });

export const getNowPlaying: Method = async ({ db, viewer }) => {
  const playing = await currentlyPlaying(db, viewer);
  const songs = new Map(
    (
      await songsByIds(
        db,
        viewer,
        playing.map((p) => p.trackId),
      )
    ).map((s) => [s.track.id, s]),
  );
  const now = Date.now();
  const entry = playing.flatMap((p) => {
    const song = songs.get(p.trackId);
    if (!song) return [];
    return [
      {
        ...toChild(song),
        username: p.username,
        minutesAgo: Math.floor((now - p.updatedAt) / 60_000),
        playerId: 0,
        playerName: p.client,
      },
    ];
  });
  return { nowPlaying: { entry } };
};
