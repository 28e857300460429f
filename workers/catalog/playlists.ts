import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { type AccountStatus, playlists, users, type Visibility } from "../db/schema/index.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { findProfileUser } from "./access.ts";
import { canEditPlaylist, canViewPlaylist, type Viewer } from "./visibility.ts";
import { accountVisibleSql, listableForSql } from "./visibility-sql.ts";

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

export type PlaylistResponse = ReturnType<typeof toPlaylistResponse>;
export type PlaylistFields = { title: string; description?: string; visibility?: Visibility };

/**
 * One owner's playlists (`owner` is a username: all of them to the owner and admins, the public
 * ones to anyone else), or every public playlist; newest first. Disabled owners: admins only.
 */
export async function listPlaylists(
  db: Db,
  viewer: Viewer,
  { owner, ...page }: PageRequest & { owner?: string },
): Promise<Page<PlaylistResponse>> {
  const conditions = [accountVisibleSql(playlists.ownerId, viewer)];
  if (owner) {
    const ownerRow = await findProfileUser(db, owner, viewer);
    conditions.push(eq(playlists.ownerId, ownerRow.id));
    if (!canEditPlaylist({ ownerId: ownerRow.id }, viewer)) conditions.push(eq(playlists.visibility, "public"));
  } else {
    conditions.push(eq(playlists.visibility, "public"));
  }
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select(playlistColumns(viewer))
        .from(playlists)
        .innerJoin(users, eq(users.id, playlists.ownerId))
        .where(and(...conditions, afterCursor(playlists.createdAt, playlists.id, after)))
        .orderBy(desc(playlists.createdAt), desc(playlists.id))
        .limit(take),
    (r) => ({ k: r.playlist.createdAt, id: r.playlist.id }),
  );
  return shapePage(rows, (items) => items.map(toPlaylistResponse));
}

export async function createPlaylist(db: Db, viewer: AuthUser, fields: PlaylistFields): Promise<PlaylistResponse> {
  const now = Date.now();
  const id = newId(now);
  await db.insert(playlists).values({
    id,
    ownerId: viewer.id,
    title: fields.title,
    description: fields.description ?? "",
    visibility: fields.visibility ?? "public",
    createdAt: now,
    updatedAt: now,
  });
  return toPlaylistResponse(await getPlaylist(db, id, viewer));
}

/** Changes a playlist the caller has checked the viewer may edit (getEditablePlaylist). */
export async function updatePlaylist(
  db: Db,
  viewer: AuthUser,
  id: string,
  changes: Partial<PlaylistFields>,
): Promise<PlaylistResponse> {
  await db
    .update(playlists)
    .set({ ...changes, updatedAt: Date.now() })
    .where(eq(playlists.id, id));
  return toPlaylistResponse(await getPlaylist(db, id, viewer));
}

export async function deletePlaylist(db: Db, id: string): Promise<void> {
  await db.delete(playlists).where(eq(playlists.id, id));
}

/** Sum of the durations of the playlist's tracks this viewer may see, in ms. */
function visibleDurationSql(viewer: Viewer): SQL<number> {
  return sql<number>`(SELECT COALESCE(SUM(tracks.duration_ms), 0) FROM playlist_tracks JOIN tracks ON tracks.id = playlist_tracks.track_id
    WHERE playlist_tracks.playlist_id = ${playlists.id} AND ${listableForSql(viewer)})`;
}

/** The viewer's own playlists, newest first, with the count and length of what they can hear (Subsonic lists them all at once). */
export async function listOwnPlaylists(db: Db, viewer: NonNullable<Viewer>, limit = 1000) {
  return db
    .select({ ...playlistColumns(viewer), durationMs: visibleDurationSql(viewer) })
    .from(playlists)
    .innerJoin(users, eq(users.id, playlists.ownerId))
    .where(eq(playlists.ownerId, viewer.id))
    .orderBy(desc(playlists.createdAt), desc(playlists.id))
    .limit(limit);
}
