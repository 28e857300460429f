import { and, asc, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { playlistTracks, tracks, users } from "../db/schema/index.ts";
import { ApiError, conflict, notFound } from "../shared/errors.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { viewableTrack } from "./access.ts";
import { insertEntry, MAX_PLAYLIST_TRACKS, moveEntry, removeEntry } from "./playlist-order.ts";
import { getPlaylist } from "./playlists.ts";
import type { TrackResponse } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { canEditTrack, isListable, type Viewer } from "./visibility.ts";
import { listableForSql } from "./visibility-sql.ts";

export type PlaylistEntry = { position: number; addedAt: string; track: TrackResponse };

const entryColumns = { ...trackWithOwnerColumns, position: playlistTracks.position, addedAt: playlistTracks.addedAt };

/** A playlist's tracks in order, leaving out any the viewer may not see (the playlist must be visible). */
export async function listPlaylistEntries(
  db: Db,
  viewer: Viewer,
  playlistId: string,
  page: PageRequest,
): Promise<Page<PlaylistEntry>> {
  const { playlist } = await getPlaylist(db, playlistId, viewer);
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select(entryColumns)
        .from(playlistTracks)
        .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
        .innerJoin(users, eq(users.id, tracks.ownerId))
        .where(
          and(
            eq(playlistTracks.playlistId, playlist.id),
            listableForSql(viewer),
            afterCursor(playlistTracks.position, playlistTracks.trackId, after, "asc"),
          ),
        )
        .orderBy(asc(playlistTracks.position), asc(playlistTracks.trackId))
        .limit(take),
    (r) => ({ k: r.position, id: r.track.id }),
  );
  return shapePage(rows, async (items) => {
    const trackItems = await toTrackResponses(db, viewer?.id, items);
    return items.map((r, i) => ({
      position: r.position,
      addedAt: new Date(r.addedAt).toISOString(),
      track: trackItems[i]!,
    }));
  });
}

/**
 * Adds a track the viewer may list (public, or their own) to a playlist the caller has checked
 * they may edit; 409 when it is already there or the playlist is full.
 */
export async function addPlaylistEntry(
  db: Db,
  viewer: AuthUser,
  playlistId: string,
  trackId: string,
  position: number | undefined,
): Promise<PlaylistEntry> {
  const { track, owner } = await viewableTrack(db, trackId, viewer);
  if (!isListable(track, owner) && !canEditTrack(track, viewer)) {
    throw new ApiError(403, "track_not_listable", "Only public tracks (or your own) can go in a playlist.");
  }
  if (!(await insertEntry(db, playlistId, track.id, position))) {
    const existing = await db
      .select({ position: playlistTracks.position })
      .from(playlistTracks)
      .where(and(eq(playlistTracks.playlistId, playlistId), eq(playlistTracks.trackId, track.id)))
      .get();
    if (existing) throw conflict("track_already_in_playlist", "This track is already in the playlist.");
    throw conflict("playlist_full", `A playlist holds at most ${MAX_PLAYLIST_TRACKS} tracks.`);
  }
  return entryOf(db, playlistId, track.id, viewer.id);
}

/** Moves an entry of an editable playlist (later entries shift); 404 when the track is not in it. */
export async function movePlaylistEntry(
  db: Db,
  viewer: AuthUser,
  playlistId: string,
  trackId: string,
  position: number,
): Promise<PlaylistEntry> {
  if (!(await moveEntry(db, playlistId, trackId, position))) throw notFound("Playlist entry");
  return entryOf(db, playlistId, trackId, viewer.id);
}

/** Removes an entry of an editable playlist (later entries move up); 404 when the track is not in it. */
export async function removePlaylistEntry(db: Db, playlistId: string, trackId: string): Promise<void> {
  if (!(await removeEntry(db, playlistId, trackId))) throw notFound("Playlist entry");
}

async function entryOf(db: Db, playlistId: string, trackId: string, viewerId: string): Promise<PlaylistEntry> {
  const row = await db
    .select(entryColumns)
    .from(playlistTracks)
    .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .where(and(eq(playlistTracks.playlistId, playlistId), eq(playlistTracks.trackId, trackId)))
    .get();
  if (!row) throw notFound("Playlist entry");
  const [track] = await toTrackResponses(db, viewerId, [row]);
  return { position: row.position, addedAt: new Date(row.addedAt).toISOString(), track: track! };
}
