import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { type AccountStatus, albums, albumTracks, tracks, users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { deleteAlbumMedia } from "../media/storage.ts";
import { ApiError, forbidden, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { findProfileUser } from "./access.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { isAccountVisible, type Viewer } from "./visibility.ts";
import { accountVisibleSql, listableForSql } from "./visibility-sql.ts";

export type AlbumRow = typeof albums.$inferSelect;
export const MAX_ALBUM_TRACKS = 200;

/** Cross-domain entry for the cover upload: records (or clears) the R2 key of the album's cover. */
export async function setAlbumCoverKey(db: Db, id: string, coverKey: string | null): Promise<void> {
  await db.update(albums).set({ coverKey, updatedAt: Date.now() }).where(eq(albums.id, id));
}

function visibleTrackCountSql(viewer: Viewer): SQL<number> {
  return sql<number>`(SELECT COUNT(*) FROM album_tracks JOIN tracks ON tracks.id = album_tracks.track_id
    WHERE album_tracks.album_id = ${albums.id} AND ${listableForSql(viewer)})`;
}

export function albumColumns(viewer: Viewer) {
  return {
    album: albums,
    owner: { id: users.id, username: users.username, displayName: users.displayName },
    ownerStatus: users.status,
    trackCount: visibleTrackCountSql(viewer),
  };
}

type AlbumWithOwner = {
  album: AlbumRow;
  owner: { id: string; username: string; displayName: string };
  ownerStatus: AccountStatus;
  trackCount: number;
};

export function toAlbumResponse({ album, owner, trackCount }: AlbumWithOwner) {
  return {
    id: album.id,
    title: album.title,
    description: album.description,
    releasedOn: album.releasedOn,
    coverUrl: album.coverKey ? `/api/v1/albums/${album.id}/cover?v=${album.updatedAt}` : null,
    owner,
    trackCount,
    createdAt: new Date(album.createdAt).toISOString(),
    updatedAt: new Date(album.updatedAt).toISOString(),
  };
}

export async function getAlbum(db: Db, id: string, viewer: Viewer): Promise<AlbumWithOwner> {
  const found = await db
    .select(albumColumns(viewer))
    .from(albums)
    .innerJoin(users, eq(users.id, albums.ownerId))
    .where(eq(albums.id, id))
    .get();
  if (!found || !isAccountVisible({ status: found.ownerStatus }, viewer)) throw notFound("Album");
  return found;
}

export async function getEditableAlbum(db: Db, id: string, viewer: Viewer): Promise<AlbumWithOwner> {
  const found = await getAlbum(db, id, viewer);
  if (!viewer || (viewer.id !== found.album.ownerId && viewer.role !== "admin")) {
    throw forbidden("Only the album's owner can change it.");
  }
  return found;
}

/** The album's tracks in order, leaving out any the viewer may not see. */
export async function albumTrackList(db: Db, albumId: string, viewer: Viewer) {
  const rows = await db
    .select(trackWithOwnerColumns)
    .from(albumTracks)
    .innerJoin(tracks, eq(tracks.id, albumTracks.trackId))
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .where(and(eq(albumTracks.albumId, albumId), listableForSql(viewer)))
    .orderBy(asc(albumTracks.position));
  return toTrackResponses(db, viewer?.id, rows);
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Replaces the album's track list with `trackIds`, in that order, atomically. Every track must
 * belong to the album's owner; a track already on another album of theirs moves here.
 */
export async function setAlbumTracks(db: Db, album: AlbumRow, trackIds: string[]): Promise<void> {
  if (new Set(trackIds).size !== trackIds.length)
    throw new ApiError(400, "validation_failed", "A track is listed twice.");
  const owned = new Set<string>();
  for (const ids of chunk(trackIds, 90)) {
    const rows = await db
      .select({ id: tracks.id })
      .from(tracks)
      .where(and(eq(tracks.ownerId, album.ownerId), inArray(tracks.id, ids)));
    for (const row of rows) owned.add(row.id);
  }
  const foreign = trackIds.filter((id) => !owned.has(id));
  if (foreign.length > 0) {
    throw new ApiError(400, "validation_failed", "An album can only hold its owner's tracks.", { trackIds: foreign });
  }
  const inserts = chunk(
    trackIds.map((trackId, position) => ({ trackId, albumId: album.id, position })),
    30,
  ).map((rows) =>
    db
      .insert(albumTracks)
      .values(rows)
      .onConflictDoUpdate({
        target: albumTracks.trackId,
        set: { albumId: sql`excluded.album_id`, position: sql`excluded.position` },
      }),
  );
  await db.batch([
    db.delete(albumTracks).where(eq(albumTracks.albumId, album.id)),
    ...inserts,
    db.update(albums).set({ updatedAt: Date.now() }).where(eq(albums.id, album.id)),
  ]);
}

export type AlbumResponse = ReturnType<typeof toAlbumResponse>;
export type AlbumFields = { title: string; description?: string; releasedOn?: string | null };

/** One owner's albums (`owner` is a username), or every album; newest first. Disabled owners: admins only. */
export async function listAlbums(
  db: Db,
  viewer: Viewer,
  { owner, ...page }: PageRequest & { owner?: string },
): Promise<Page<AlbumResponse>> {
  const conditions = [accountVisibleSql(albums.ownerId, viewer)];
  if (owner) conditions.push(eq(albums.ownerId, (await findProfileUser(db, owner, viewer)).id));
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select(albumColumns(viewer))
        .from(albums)
        .innerJoin(users, eq(users.id, albums.ownerId))
        .where(and(...conditions, afterCursor(albums.createdAt, albums.id, after)))
        .orderBy(desc(albums.createdAt), desc(albums.id))
        .limit(take),
    (r) => ({ k: r.album.createdAt, id: r.album.id }),
  );
  return shapePage(rows, (items) => items.map(toAlbumResponse));
}

/** The album with the tracks in it the viewer may see, in order. */
export async function getAlbumWithTracks(db: Db, viewer: Viewer, id: string) {
  const album = await getAlbum(db, id, viewer);
  return { ...toAlbumResponse(album), tracks: await albumTrackList(db, id, viewer) };
}

/** Creates the viewer's album, with its tracks if given; nothing is left behind if they are refused. */
export async function createAlbum(db: Db, viewer: AuthUser, fields: AlbumFields & { trackIds?: string[] }) {
  const now = Date.now();
  const album = await db
    .insert(albums)
    .values({
      id: newId(now),
      ownerId: viewer.id,
      title: fields.title,
      description: fields.description ?? "",
      releasedOn: fields.releasedOn ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  if (fields.trackIds?.length) {
    try {
      await setAlbumTracks(db, album, fields.trackIds);
    } catch (error) {
      await db.delete(albums).where(eq(albums.id, album.id));
      throw error;
    }
  }
  return getAlbumWithTracks(db, viewer, album.id);
}

/** Changes an album the caller has checked the viewer may edit (getEditableAlbum). */
export async function updateAlbum(db: Db, viewer: AuthUser, id: string, changes: Partial<AlbumFields>) {
  await db
    .update(albums)
    .set({ ...changes, updatedAt: Date.now() })
    .where(eq(albums.id, id));
  return getAlbumWithTracks(db, viewer, id);
}

/** Deletes an editable album and its cover; its tracks stay. */
export async function deleteAlbum(env: Pick<Env, "MEDIA">, db: Db, id: string): Promise<void> {
  await db.delete(albums).where(eq(albums.id, id));
  await deleteAlbumMedia(env, id);
}
