import { getLibraryAlbum, getSong, type LibrarySong, listArtists, listSongs } from "../catalog/library.ts";
import { isListable } from "../catalog/visibility.ts";
import { streamSources } from "../media/renditions.ts";
import { serveObject } from "../media/serve.ts";
import { nearestRendition, serveTrackFile } from "../media/track-audio.ts";
import { getTrackOutputs } from "../media/transcode-outputs.ts";
import type { Call, Method } from "./call.ts";
import { notAuthorized, notFound, type Payload } from "./envelope.ts";
import { parseId, suffixOf } from "./mapping.ts";

/** Audio, covers and lyrics. A stream serves bytes only: plays are counted by `scrobble`. */

async function songOrThrow(call: Call): Promise<LibrarySong> {
  const parsed = parseId(call.params.required("id"));
  const song = parsed.kind === "song" ? await getSong(call.db, call.viewer, parsed.trackId) : undefined;
  if (!song) throw notFound("Song");
  return song;
}

/**
 * `format=raw` and `download` serve the original as media decides for this viewer (streamSources):
 * the upload itself to its owner and admins, a tag-stripped copy to others when the artist enabled
 * downloads, nothing otherwise. A plain stream serves the rendition nearest `maxBitRate`.
 */
export const stream: Method = async (call) => {
  const song = await songOrThrow(call);
  const sources = await streamSources(call.env, song.track, call.viewer);
  const original = sources.byQuality.get("original");
  if (call.params.get("format")?.toLowerCase() === "raw" && original) {
    return serveTrackFile(call.env, call.request, song.track.id, original, { public: false });
  }
  const maxBitRate = call.params.int("maxBitRate", 0, 0, 100_000);
  const chosen = nearestRendition(sources, maxBitRate || undefined);
  if (!chosen) throw notFound("Audio for this song");
  return serveTrackFile(call.env, call.request, song.track.id, chosen.playable, {
    public: isListable(song.track, song.owner),
  });
};

export const download: Method = async (call) => {
  const song = await songOrThrow(call);
  const sources = await streamSources(call.env, song.track, call.viewer);
  const original = sources.byQuality.get("original");
  if (!original) {
    if (sources.originalWithheld) throw notAuthorized("The artist has not enabled downloads of this track.");
    throw notFound("Original file");
  }
  return serveTrackFile(call.env, call.request, song.track.id, original, {
    public: false,
    downloadName: `${song.track.title}.${suffixOf(original.mimeType)}`,
  });
};

/** The R2 key of the picture behind a cover art id, as the viewer may see it. */
async function coverKeyOf(call: Call, id: string): Promise<string | undefined> {
  const parsed = parseId(id);
  if (parsed.kind === "artist") {
    const [artist] = await listArtists(call.db, call.viewer, { id: parsed.userId });
    return artist?.avatarKey ?? undefined;
  }
  if (parsed.kind === "song") {
    const song = await getSong(call.db, call.viewer, parsed.trackId);
    if (!song) return undefined;
    // Only keys inside the track's own folder: the owner's upload or the transcoder's embedded art.
    if (song.track.coverKey?.startsWith(`tracks/${song.track.id}/`)) return song.track.coverKey;
    return song.albumId ? coverKeyOf(call, `al-${song.albumId}`) : undefined;
  }
  const album = await getLibraryAlbum(call.db, call.viewer, parsed.key);
  if (!album) return undefined;
  if (album.albumCoverKey) return album.albumCoverKey;
  const songs = await listSongs(call.db, call.viewer, { albumKey: album.key, order: "album", limit: 50 });
  const withCover = songs.find((s) => s.track.coverKey?.startsWith(`tracks/${s.track.id}/`));
  return withCover?.track.coverKey ?? undefined;
}

/** The stored picture (`size` is accepted; images are served as uploaded). */
export const getCoverArt: Method = async (call) => {
  const key = await coverKeyOf(call, call.params.required("id"));
  if (!key) throw notFound("Cover art");
  // `size` is checked but the stored cover is served as is, as several Navidrome-compatible servers
  // do: resizing needs the Images binding (absent locally) or an image codec in the Worker.
  call.params.int("size", 0, 0, 10_000);
  return serveObject(call.env.MEDIA, key, call.request, { cacheControl: "private, max-age=3600" });
};

const LYRICS_TAGS = ["lyrics", "unsyncedlyrics", "unsynced lyrics", "uslt", "©lyr"];

/** Lyrics embedded in the original's tags, if any. */
async function lyricsOf(call: Call, song: LibrarySong): Promise<string | undefined> {
  const outputs = await getTrackOutputs(call.db, song.track.id);
  for (const [name, value] of Object.entries(outputs?.tags ?? {})) {
    if (LYRICS_TAGS.includes(name.toLowerCase()) && typeof value === "string" && value.trim()) return value;
  }
  return undefined;
}

export const getLyricsBySongId: Method = async (call) => {
  const song = await songOrThrow(call);
  const text = await lyricsOf(call, song);
  if (!text) return { lyricsList: { structuredLyrics: [] } };
  const line: Payload[] = text.split(/\r?\n/).map((value) => ({ value }));
  return {
    lyricsList: {
      structuredLyrics: [
        {
          displayArtist: song.track.artist,
          displayTitle: song.track.title,
          lang: "xxx",
          synced: false,
          offset: 0,
          line,
        },
      ],
    },
  };
};
