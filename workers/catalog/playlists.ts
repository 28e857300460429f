import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type AccountStatus, playlists, users } from "../db/schema/index.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { canEditPlaylist, canViewPlaylist, type Viewer } from "./visibility.ts";
import { listableForSql } from "./visibility-sql.ts";

export type PlaylistRow = typeof playlists.$inferSelect;

/** How many of the playlist's tracks this viewer may see (a playlist never exposes the others). */
export function visibleTrackCountSql(viewer: Viewer): SQL<number> {
  return sql<number>`(SELECT COUNT(*) FROM playlist_tracks JOIN tracks ON tracks.id = playlist_tracks.track_id
    WHERE playlist_tracks.playlist_id = ${playlists.id} AND ${listableForSql(viewer)})`;
}

export function playlistColumns(viewer: Viewer) {
  return {
    playlist: playlists,
    owner: { id: users.id, username: users.username, displayName: users.displayName },
    ownerStatus: users.status,
    trackCount: visibleTrackCountSql(viewer),
  };
}

type PlaylistWithOwner = {
  playlist: PlaylistRow;
  owner: { id: string; username: string; displayName: string };
  ownerStatus: AccountStatus;
  trackCount: number;
};

export function toPlaylistResponse({ playlist, owner, trackCount }: PlaylistWithOwner) {
  return {
    id: playlist.id,
    title: playlist.title,
    description: playlist.description,
    visibility: playlist.visibility,
    owner,
    trackCount,
    createdAt: new Date(playlist.createdAt).toISOString(),
    updatedAt: new Date(playlist.updatedAt).toISOString(),
  };
}

export async function getPlaylist(db: Db, id: string, viewer: Viewer): Promise<PlaylistWithOwner> {
  const found = await db
    .select(playlistColumns(viewer))
    .from(playlists)
    .innerJoin(users, eq(users.id, playlists.ownerId))
    .where(eq(playlists.id, id))
    .get();
  if (!found || !canViewPlaylist(found.playlist, { status: found.ownerStatus }, viewer)) throw notFound("Playlist");
  return found;
}

export async function getEditablePlaylist(db: Db, id: string, viewer: Viewer): Promise<PlaylistWithOwner> {
  const found = await getPlaylist(db, id, viewer);
  if (!canEditPlaylist(found.playlist, viewer)) throw forbidden("Only the playlist's owner can change it.");
  return found;
}
