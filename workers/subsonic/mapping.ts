import {
  type AlbumKey,
  albumKeyOf,
  type LibraryAlbum,
  type LibraryArtist,
  type LibrarySong,
  SINGLES_TITLE,
} from "../catalog/library.ts";
import type { Rendition } from "../db/schema/index.ts";
import type { Payload } from "./envelope.ts";

/**
 * Veza's catalog in Subsonic's shapes. Ids: a song is its track id, an album its library key
 * (`al-…` for an album, `si-…` for an artist's singles), an artist `ar-<userId>`. Cover art ids
 * are those same ids.
 */

export const artistIdOf = (userId: string) => `ar-${userId}`;

export type ParsedId =
  | { kind: "artist"; userId: string }
  | { kind: "album"; key: AlbumKey }
  | { kind: "song"; trackId: string };

export function parseId(id: string): ParsedId {
  if (id.startsWith("ar-")) return { kind: "artist", userId: id.slice(3) };
  if (id.startsWith("al-") || id.startsWith("si-")) return { kind: "album", key: id as AlbumKey };
  return { kind: "song", trackId: id };
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : undefined);
const seconds = (ms: number | null | undefined) => Math.round((ms ?? 0) / 1000);

/** The rendition a plain `stream` call serves: the highest bitrate there is. */
export function defaultRendition(renditions: Rendition[] | null | undefined): Rendition | undefined {
  return [...(renditions ?? [])].sort((a, b) => b.bitrateKbps - a.bitrateKbps)[0];
}

/** The file suffix Subsonic clients expect for a MIME type. */
export function suffixOf(mimeType: string): string {
  if (mimeType.startsWith("audio/mp4")) return "m4a";
  const known: Record<string, string> = {
    "audio/mpeg": "mp3",
    "audio/flac": "flac",
    "audio/wav": "wav",
    "audio/aac": "aac",
    "audio/ogg": "ogg",
    "audio/aiff": "aiff",
    "image/jpeg": "jpg",
    "image/png": "png",
  };
  return known[mimeType.split(";")[0]!.trim()] ?? (mimeType.includes("opus") ? "opus" : "bin");
}

/** ReplayGain 2.0 measures against -18 LUFS; true peak converts from dBTP to a linear amplitude. */
const REPLAYGAIN_REFERENCE_LUFS = -18;

function replayGainOf(media: LibrarySong["media"]): Payload {
  if (!media || media.integratedLufs === null || !Number.isFinite(media.integratedLufs)) return {};
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    trackGain: round(REPLAYGAIN_REFERENCE_LUFS - media.integratedLufs),
    trackPeak: Math.round(10 ** (media.truePeakDbtp / 20) * 10_000) / 10_000,
  };
}

function yearOf(releasedOn: string | null | undefined, createdAt: number): number {
  const year = releasedOn ? Number(releasedOn.slice(0, 4)) : new Date(createdAt).getUTCFullYear();
  return Number.isFinite(year) ? year : new Date(createdAt).getUTCFullYear();
}

/** A song as a Subsonic `Child` (with the OpenSubsonic additions). */
export function toChild(song: LibrarySong): Payload {
  const { track, owner } = song;
  const albumKey = albumKeyOf(song.albumId, owner.id);
  const albumTitle = song.albumTitle ?? SINGLES_TITLE;
  const rendition = defaultRendition(song.media?.renditions);
  const contentType = rendition?.mimeType ?? "audio/mp4";
  const suffix = suffixOf(contentType);
  const artist = { id: artistIdOf(owner.id), name: owner.displayName };
  return {
    id: track.id,
    parent: albumKey,
    isDir: false,
    title: track.title,
    album: albumTitle,
    artist: track.artist,
    track: song.albumPosition === null ? undefined : song.albumPosition + 1,
    year: yearOf(song.albumReleasedOn, track.createdAt),
    genre: track.genre || undefined,
    coverArt: track.id,
    size: rendition?.bytes,
    contentType,
    suffix,
    duration: seconds(track.durationMs),
    bitRate: rendition?.bitrateKbps,
    samplingRate: song.media?.sampleRate ?? undefined,
    channelCount: song.media?.channels ?? undefined,
    path: `${owner.displayName}/${albumTitle}/${track.title}.${suffix}`,
    isVideo: false,
    userRating: song.rating ?? undefined,
    playCount: track.playCount,
    played: iso(song.playedAt),
    discNumber: 1,
    created: iso(track.createdAt),
    starred: iso(song.starredAt),
    albumId: albumKey,
    artistId: artist.id,
    type: "music",
    mediaType: "song",
    bpm: 0,
    comment: track.description,
    sortName: "",
    musicBrainzId: "",
    genres: track.genre ? [{ name: track.genre }] : [],
    artists: [artist],
    displayArtist: track.artist,
    albumArtists: [artist],
    displayAlbumArtist: owner.displayName,
    displayComposer: "",
    explicitStatus: "",
    replayGain: replayGainOf(song.media),
  };
}

/** An album as `AlbumID3` (`songs` adds the `song` children of `AlbumID3WithSongs`). */
export function toAlbum(album: LibraryAlbum, songs?: LibrarySong[]): Payload {
  const artist = { id: artistIdOf(album.ownerId), name: album.ownerName };
  return {
    id: album.key,
    parent: artist.id,
    isDir: true,
    name: album.title,
    title: album.title,
    album: album.title,
    artist: album.ownerName,
    artistId: artist.id,
    coverArt: album.key,
    songCount: album.songCount,
    duration: seconds(album.durationMs),
    playCount: album.playCount,
    created: iso(album.createdAt),
    starred: iso(album.starredAt),
    played: iso(album.playedAt),
    year: yearOf(album.releasedOn, album.createdAt),
    genre: album.genre || undefined,
    userRating: 0,
    genres: album.genre ? [{ name: album.genre }] : [],
    artists: [artist],
    displayArtist: album.ownerName,
    releaseTypes: [album.albumId ? "album" : "compilation"],
    moods: [],
    sortName: "",
    musicBrainzId: "",
    isCompilation: false,
    mediaType: "album",
    ...(songs ? { song: songs.map(toChild) } : {}),
  };
}

export function toArtist(artist: LibraryArtist): Payload {
  return {
    id: artistIdOf(artist.id),
    name: artist.displayName,
    coverArt: artistIdOf(artist.id),
    albumCount: artist.albumCount,
    artistImageUrl: undefined,
    mediaType: "artist",
    sortName: "",
    musicBrainzId: "",
    roles: ["artist"],
  };
}

/** The first letter clients group artists under (`#` for anything that is not a letter). */
export function indexLetter(name: string): string {
  const first = name.trim().normalize("NFD").charAt(0).toUpperCase();
  return /\p{L}/u.test(first) ? first : "#";
}

export function groupByLetter(artists: LibraryArtist[]): Payload[] {
  const groups = new Map<string, Payload[]>();
  for (const artist of artists) {
    const letter = indexLetter(artist.displayName);
    const group = groups.get(letter) ?? [];
    group.push(toArtist(artist));
    groups.set(letter, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "#" ? 1 : b === "#" ? -1 : a.localeCompare(b)))
    .map(([name, artist]) => ({ name, artist }));
}
