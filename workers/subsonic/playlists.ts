import { playlistSongs, songsByIds } from "../catalog/library.ts";
import { insertEntry, removeEntry, replaceEntries } from "../catalog/playlist-order.ts";
import {
  createPlaylist as createVezaPlaylist,
  deletePlaylist as deleteVezaPlaylist,
  getPlaylist as findPlaylist,
  listOwnPlaylists,
  type PlaylistRow,
  updatePlaylist as updateVezaPlaylist,
} from "../catalog/playlists.ts";
import { canEditTrack, isListable } from "../catalog/visibility.ts";
import { ApiError } from "../shared/errors.ts";
import type { Call, Method } from "./call.ts";
import { badValue, missingParameter, notAuthorized, notFound, type Payload } from "./envelope.ts";
import { toChild } from "./mapping.ts";

/** Veza playlists as Subsonic playlists (`public` ⇔ visibility public; otherwise private). */

type PlaylistSummary = {
  playlist: PlaylistRow;
  owner: { username: string };
  trackCount: number;
  durationMs: number;
};

function toPlaylist({ playlist, owner, trackCount, durationMs }: PlaylistSummary): Payload {
  return {
    id: playlist.id,
    name: playlist.title,
    comment: playlist.description,
    owner: owner.username,
    public: playlist.visibility === "public",
    songCount: trackCount,
    duration: Math.round(durationMs / 1000),
    created: new Date(playlist.createdAt).toISOString(),
    changed: new Date(playlist.updatedAt).toISOString(),
    coverArt: undefined,
  };
}

export const getPlaylists: Method = async ({ db, viewer, params, user }) => {
  const username = params.get("username")?.toLowerCase();
  if (username && username !== user.username) throw notAuthorized("You can only list your own playlists.");
  const rows = await listOwnPlaylists(db, viewer);
  return { playlists: { playlist: rows.map(toPlaylist) } };
};

/** The playlist as the viewer sees it; someone else's private playlist does not exist for them. */
async function playlistOrThrow(call: Call, id: string) {
  try {
    return await findPlaylist(call.db, id, call.viewer);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw notFound("Playlist");
    throw error;
  }
}

async function playlistWithSongs(call: Call, id: string): Promise<Payload> {
  const found = await playlistOrThrow(call, id);
  const songs = await playlistSongs(call.db, call.viewer, found.playlist.id);
  const durationMs = songs.reduce((sum, s) => sum + (s.track.durationMs ?? 0), 0);
  return { ...toPlaylist({ ...found, trackCount: songs.length, durationMs }), entry: songs.map(toChild) };
}

export const getPlaylist: Method = async (call) => ({
  playlist: await playlistWithSongs(call, call.params.required("id")),
});

async function editablePlaylist(call: Call, id: string) {
  const found = await playlistOrThrow(call, id);
  if (found.playlist.ownerId !== call.user.id && call.user.role !== "admin") {
    throw notAuthorized("Only the playlist's owner can change it.");
  }
  return found.playlist;
}

/** Track ids a playlist may take: songs the caller may see, public or their own (as in the API). */
async function addableTrackIds(call: Call, ids: string[]): Promise<string[]> {
  const songs = await songsByIds(call.db, call.viewer, ids);
  const byId = new Map(songs.map((s) => [s.track.id, s]));
  return ids.map((id) => {
    const song = byId.get(id);
    if (!song) throw notFound(`Song ${id}`);
    if (!isListable(song.track, song.owner) && !canEditTrack(song.track, call.viewer)) {
      throw notAuthorized("Only public songs (or your own) can go in a playlist.");
    }
    return id;
  });
}

/** Creates a playlist with `songId`s, or (with `playlistId`) replaces an existing one's songs. */
export const createPlaylist: Method = async (call) => {
  const { params } = call;
  const playlistId = params.get("playlistId");
  const songIds = await addableTrackIds(call, params.getAll("songId").filter(Boolean));
  let id: string;
  if (playlistId) {
    const playlist = await editablePlaylist(call, playlistId);
    const name = params.get("name")?.trim();
    if (name) await updateVezaPlaylist(call.db, call.user, playlist.id, { title: name.slice(0, 200) });
    id = playlist.id;
  } else {
    const name = params.get("name")?.trim();
    if (!name) throw missingParameter("name");
    id = (await createVezaPlaylist(call.db, call.user, { title: name.slice(0, 200), visibility: "private" })).id;
  }
  await replaceEntries(call.db, id, songIds);
  return { playlist: await playlistWithSongs(call, id) };
};

export const updatePlaylist: Method = async (call) => {
  const { params, db } = call;
  const playlist = await editablePlaylist(call, params.required("playlistId"));
  const name = params.get("name")?.trim();
  const comment = params.get("comment");
  const changes = {
    ...(name ? { title: name.slice(0, 200) } : {}),
    ...(comment !== undefined ? { description: comment.slice(0, 2000) } : {}),
    ...(params.has("public")
      ? { visibility: params.bool("public", false) ? ("public" as const) : ("private" as const) }
      : {}),
  };
  if (Object.keys(changes).length > 0) await updateVezaPlaylist(db, call.user, playlist.id, changes);
  // Indexes refer to the list as the caller sees it; removing from the highest keeps the others in place.
  const indexes = params.getAll("songIndexToRemove");
  if (indexes.length > 0) {
    const visible = await playlistSongs(db, call.viewer, playlist.id);
    const positions = new Set<number>();
    for (const text of indexes) {
      const n = Number(text);
      if (!/^\d+$/.test(text) || n >= visible.length) {
        throw badValue("songIndexToRemove", `${text} is not an index of this playlist (0–${visible.length - 1}).`);
      }
      positions.add(n);
    }
    for (const position of [...positions].sort((a, b) => b - a)) {
      await removeEntry(db, playlist.id, visible[position]!.track.id);
    }
  }
  for (const trackId of await addableTrackIds(call, params.getAll("songIdToAdd").filter(Boolean))) {
    await insertEntry(db, playlist.id, trackId, undefined);
  }
  return {};
};

export const deletePlaylist: Method = async (call) => {
  const playlist = await editablePlaylist(call, call.params.required("id"));
  await deleteVezaPlaylist(call.db, playlist.id);
  return {};
};
