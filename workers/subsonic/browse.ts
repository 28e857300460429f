import {
  getSong as findSong,
  getLibraryAlbum,
  listAlbums,
  listArtists,
  listGenres,
  listSongs,
} from "../catalog/library.ts";
import type { Call, Method } from "./call.ts";
import { notFound } from "./envelope.ts";
import { groupByLetter, parseId, toAlbum, toArtist, toChild } from "./mapping.ts";
import { MUSIC_FOLDER } from "./system.ts";

/** Browsing by artist and album: the ID3 methods and the older folder-style ones. */

function checkFolder({ params }: Call) {
  const folder = params.get("musicFolderId");
  if (folder !== undefined && folder !== String(MUSIC_FOLDER.id)) throw notFound("Music folder");
}

export const getArtists: Method = async (call) => {
  checkFolder(call);
  const artists = await listArtists(call.db, call.viewer);
  return { artists: { ignoredArticles: "", index: groupByLetter(artists) } };
};

export const getIndexes: Method = async (call) => {
  checkFolder(call);
  const artists = await listArtists(call.db, call.viewer);
  return { indexes: { ignoredArticles: "", lastModified: Date.now(), index: groupByLetter(artists) } };
};

async function artistOrThrow(call: Call, id: string) {
  const parsed = parseId(id);
  if (parsed.kind !== "artist") throw notFound("Artist");
  const [artist] = await listArtists(call.db, call.viewer, { id: parsed.userId });
  if (!artist) throw notFound("Artist");
  return artist;
}

async function albumOrThrow(call: Call, id: string) {
  const parsed = parseId(id);
  const album = parsed.kind === "album" ? await getLibraryAlbum(call.db, call.viewer, parsed.key) : undefined;
  if (!album) throw notFound("Album");
  return album;
}

export const getArtist: Method = async (call) => {
  const artist = await artistOrThrow(call, call.params.required("id"));
  const albums = await listAlbums(call.db, call.viewer, { ownerId: artist.id, order: "newest" });
  return { artist: { ...toArtist(artist), album: albums.map((a) => toAlbum(a)) } };
};

export const getArtistInfo2: Method = async (call) => {
  const artist = await artistOrThrow(call, call.params.required("id"));
  return { artistInfo2: { biography: `On Veza as @${artist.username}.`, musicBrainzId: "", lastFmUrl: "" } };
};

export const getArtistInfo: Method = async (call) => {
  const artist = await artistOrThrow(call, call.params.required("id"));
  return { artistInfo: { biography: `On Veza as @${artist.username}.`, musicBrainzId: "", lastFmUrl: "" } };
};

export const getAlbum: Method = async (call) => {
  const album = await albumOrThrow(call, call.params.required("id"));
  const songs = await listSongs(call.db, call.viewer, { albumKey: album.key, order: "album" });
  return { album: toAlbum(album, songs) };
};

export const getAlbumInfo2: Method = async (call) => {
  await albumOrThrow(call, call.params.required("id"));
  return { albumInfo: { notes: "", musicBrainzId: "", lastFmUrl: "" } };
};

export const getSong: Method = async (call) => {
  const parsed = parseId(call.params.required("id"));
  const song = parsed.kind === "song" ? await findSong(call.db, call.viewer, parsed.trackId) : undefined;
  if (!song) throw notFound("Song");
  return { song: toChild(song) };
};

/** Folder-style browsing: an artist's directory holds its albums, an album's holds its songs. */
export const getMusicDirectory: Method = async (call) => {
  const id = call.params.required("id");
  const parsed = parseId(id);
  if (parsed.kind === "artist") {
    const artist = await artistOrThrow(call, id);
    const albums = await listAlbums(call.db, call.viewer, { ownerId: artist.id, order: "newest" });
    return {
      directory: {
        id,
        name: artist.displayName,
        parent: String(MUSIC_FOLDER.id),
        child: albums.map((a) => toAlbum(a)),
      },
    };
  }
  if (parsed.kind === "album") {
    const album = await albumOrThrow(call, id);
    const songs = await listSongs(call.db, call.viewer, { albumKey: album.key, order: "album" });
    const albumPayload = toAlbum(album);
    return {
      directory: {
        id,
        name: album.title,
        parent: albumPayload.parent,
        playCount: album.playCount,
        starred: albumPayload.starred,
        child: songs.map(toChild),
      },
    };
  }
  throw notFound("Directory");
};

export const getGenres: Method = async (call) => {
  const genres = await listGenres(call.db, call.viewer);
  return {
    genres: { genre: genres.map((g) => ({ songCount: g.songCount, albumCount: g.albumCount, value: g.name })) },
  };
};
