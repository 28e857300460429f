import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import type { getDb } from "../db/client.ts";
import { playlists, playlistTracks, tracks, users, VISIBILITIES } from "../db/schema/index.ts";
import type { AppBindings } from "../env.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { ApiError, conflict, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { afterCursor } from "../shared/keyset.ts";
import {
  createRouter,
  errorResponse,
  IdParam,
  IdParams,
  jsonBody,
  jsonResponse,
  PageQuery,
  pageOf,
  patchBody,
} from "../shared/openapi.ts";
import { findProfileUser, viewableTrack } from "./access.ts";
import { auditIfAdminOverride } from "./admin.ts";
import { insertEntry, MAX_PLAYLIST_TRACKS, moveEntry, removeEntry } from "./playlist-order.ts";
import { getEditablePlaylist, getPlaylist, playlistColumns, toPlaylistResponse } from "./playlists.ts";
import { Description, OwnerPageQuery, PlaylistSchema, Title, TrackSchema } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { canEditPlaylist, canEditTrack, isListable } from "./visibility.ts";
import { accountVisibleSql, listableForSql } from "./visibility-sql.ts";

const EntryParams = z.object({ id: IdParam, trackId: IdParam });
const Position = z.number().int().min(0).max(MAX_PLAYLIST_TRACKS);

const CreatePlaylistBody = z.object({
  title: Title,
  description: Description.optional(),
  visibility: z.enum(VISIBILITIES).optional(),
});
const UpdatePlaylistBody = patchBody(CreatePlaylistBody.shape);

const EntrySchema = z
  .object({ position: z.number().int(), addedAt: z.string(), track: TrackSchema })
  .openapi("PlaylistEntry");

const notFoundOrForbidden = { 403: errorResponse("Not the owner"), 404: errorResponse("No such playlist or track") };

const listPlaylists = createRoute({
  method: "get",
  path: "/playlists",
  tags: ["playlists"],
  summary: "One owner's playlists (all of them to the owner), or the most recent public ones",
  request: { query: OwnerPageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(PlaylistSchema), "A page of playlists"),
    404: errorResponse("No such owner"),
  }),
});

const createPlaylist = createRoute({
  method: "post",
  path: "/playlists",
  tags: ["playlists"],
  request: jsonBody(CreatePlaylistBody),
  ...signedIn({ 201: jsonResponse(PlaylistSchema, "The new playlist") }),
});

const getPlaylistRoute = createRoute({
  method: "get",
  path: "/playlists/{id}",
  tags: ["playlists"],
  request: { params: IdParams },
  ...maybeSignedIn({
    200: jsonResponse(PlaylistSchema, "The playlist"),
    404: errorResponse("No such playlist"),
  }),
});

const patchPlaylist = createRoute({
  method: "patch",
  path: "/playlists/{id}",
  tags: ["playlists"],
  request: { params: IdParams, ...jsonBody(UpdatePlaylistBody) },
  ...signedIn({ 200: jsonResponse(PlaylistSchema, "The updated playlist"), ...notFoundOrForbidden }),
});

const deletePlaylist = createRoute({
  method: "delete",
  path: "/playlists/{id}",
  tags: ["playlists"],
  request: { params: IdParams },
  ...signedIn({ 204: { description: "Deleted" }, ...notFoundOrForbidden }),
});

const listEntries = createRoute({
  method: "get",
  path: "/playlists/{id}/tracks",
  tags: ["playlists"],
  summary: "The playlist's tracks in order, leaving out any the caller may not see",
  request: { params: IdParams, query: PageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(EntrySchema), "A page of entries"),
    404: errorResponse("No such playlist"),
  }),
});

const addEntry = createRoute({
  method: "post",
  path: "/playlists/{id}/tracks",
  tags: ["playlists"],
  summary: "Add a track at a position (default: the end); later tracks move down",
  request: { params: IdParams, ...jsonBody(z.object({ trackId: IdParam, position: Position.optional() })) },
  ...signedIn({
    201: jsonResponse(EntrySchema, "The new entry"),
    409: errorResponse("Already in the playlist, or the playlist is full"),
    ...notFoundOrForbidden,
  }),
});

const moveEntryRoute = createRoute({
  method: "patch",
  path: "/playlists/{id}/tracks/{trackId}",
  tags: ["playlists"],
  summary: "Move a track to another position (reorder)",
  request: { params: EntryParams, ...jsonBody(z.object({ position: Position })) },
  ...signedIn({ 200: jsonResponse(EntrySchema, "The moved entry"), ...notFoundOrForbidden }),
});

const removeEntryRoute = createRoute({
  method: "delete",
  path: "/playlists/{id}/tracks/{trackId}",
  tags: ["playlists"],
  request: { params: EntryParams },
  ...signedIn({ 204: { description: "Removed; later tracks move up" }, ...notFoundOrForbidden }),
});

async function entryOf(db: ReturnType<typeof getDb>, playlistId: string, trackId: string, viewerId: string) {
  const row = await db
    .select({ ...trackWithOwnerColumns, position: playlistTracks.position, addedAt: playlistTracks.addedAt })
    .from(playlistTracks)
    .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .where(and(eq(playlistTracks.playlistId, playlistId), eq(playlistTracks.trackId, trackId)))
    .get();
  if (!row) throw notFound("Playlist entry");
  const [track] = await toTrackResponses(db, viewerId, [row]);
  return { position: row.position, addedAt: new Date(row.addedAt).toISOString(), track: track! };
}

function auditPlaylist<E extends AppBindings>(
  c: Context<E, string, object>,
  playlist: { id: string; ownerId: string; title: string },
  action: string,
  details: Record<string, unknown> = {},
) {
  auditIfAdminOverride(c, playlist.ownerId, {
    action,
    targetType: "playlist",
    targetId: playlist.id,
    details: { title: playlist.title, ...details },
  });
}

export const playlistRoutes = createRouter()
  .openapi(listPlaylists, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { owner, cursor, limit } = c.req.valid("query");
    const conditions = [
      accountVisibleSql(playlists.ownerId, viewer),
      afterCursor(playlists.createdAt, playlists.id, decodeCursor(cursor)),
    ];
    if (owner) {
      const ownerRow = await findProfileUser(db, owner, viewer);
      conditions.push(eq(playlists.ownerId, ownerRow.id));
      if (!canEditPlaylist({ ownerId: ownerRow.id }, viewer)) conditions.push(eq(playlists.visibility, "public"));
    } else {
      conditions.push(eq(playlists.visibility, "public"));
    }
    const rows = await db
      .select(playlistColumns(viewer))
      .from(playlists)
      .innerJoin(users, eq(users.id, playlists.ownerId))
      .where(and(...conditions))
      .orderBy(desc(playlists.createdAt), desc(playlists.id))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.playlist.createdAt, id: r.playlist.id }));
    return c.json({ items: page.items.map(toPlaylistResponse), nextCursor: page.nextCursor }, 200);
  })
  .openapi(createPlaylist, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const body = c.req.valid("json");
    const now = Date.now();
    const id = newId(now);
    await db.insert(playlists).values({
      id,
      ownerId: me.id,
      title: body.title,
      description: body.description ?? "",
      visibility: body.visibility ?? "public",
      createdAt: now,
      updatedAt: now,
    });
    return c.json(toPlaylistResponse(await getPlaylist(db, id, c.var.viewer)), 201);
  })
  .openapi(getPlaylistRoute, async (c) => {
    const db = c.var.db;
    return c.json(toPlaylistResponse(await getPlaylist(db, c.req.valid("param").id, c.var.viewer)), 200);
  })
  .openapi(patchPlaylist, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { playlist } = await getEditablePlaylist(db, c.req.valid("param").id, viewer);
    auditPlaylist(c, playlist, "playlist.update", { changes: c.req.valid("json") });
    await db
      .update(playlists)
      .set({ ...c.req.valid("json"), updatedAt: Date.now() })
      .where(eq(playlists.id, playlist.id));
    return c.json(toPlaylistResponse(await getPlaylist(db, playlist.id, viewer)), 200);
  })
  .openapi(deletePlaylist, async (c) => {
    const db = c.var.db;
    const { playlist } = await getEditablePlaylist(db, c.req.valid("param").id, c.var.viewer);
    auditPlaylist(c, playlist, "playlist.delete");
    await db.delete(playlists).where(eq(playlists.id, playlist.id));
    return c.body(null, 204);
  })
  .openapi(listEntries, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { playlist } = await getPlaylist(db, c.req.valid("param").id, viewer);
    const { cursor, limit } = c.req.valid("query");
    const rows = await db
      .select({ ...trackWithOwnerColumns, position: playlistTracks.position, addedAt: playlistTracks.addedAt })
      .from(playlistTracks)
      .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
      .innerJoin(users, eq(users.id, tracks.ownerId))
      .where(
        and(
          eq(playlistTracks.playlistId, playlist.id),
          listableForSql(viewer),
          afterCursor(playlistTracks.position, playlistTracks.trackId, decodeCursor(cursor), "asc"),
        ),
      )
      .orderBy(asc(playlistTracks.position), asc(playlistTracks.trackId))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.position, id: r.track.id }));
    const trackItems = await toTrackResponses(db, viewer?.id, page.items);
    const items = page.items.map((r, i) => ({
      position: r.position,
      addedAt: new Date(r.addedAt).toISOString(),
      track: trackItems[i]!,
    }));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  })
  .openapi(addEntry, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { playlist } = await getEditablePlaylist(db, c.req.valid("param").id, viewer);
    const { trackId, position } = c.req.valid("json");
    auditPlaylist(c, playlist, "playlist.track_add", { trackId });
    const { track, owner } = await viewableTrack(db, trackId, viewer);
    if (!isListable(track, owner) && !canEditTrack(track, viewer)) {
      throw new ApiError(403, "track_not_listable", "Only public tracks (or your own) can go in a playlist.");
    }
    if (!(await insertEntry(db, playlist.id, track.id, position))) {
      const existing = await db
        .select({ position: playlistTracks.position })
        .from(playlistTracks)
        .where(and(eq(playlistTracks.playlistId, playlist.id), eq(playlistTracks.trackId, track.id)))
        .get();
      if (existing) throw conflict("track_already_in_playlist", "This track is already in the playlist.");
      throw conflict("playlist_full", `A playlist holds at most ${MAX_PLAYLIST_TRACKS} tracks.`);
    }
    return c.json(await entryOf(db, playlist.id, track.id, c.var.viewer.id), 201);
  })
  .openapi(moveEntryRoute, async (c) => {
    const db = c.var.db;
    const { id, trackId } = c.req.valid("param");
    const { playlist } = await getEditablePlaylist(db, id, c.var.viewer);
    auditPlaylist(c, playlist, "playlist.track_move", { trackId, position: c.req.valid("json").position });
    if (!(await moveEntry(db, playlist.id, trackId, c.req.valid("json").position))) throw notFound("Playlist entry");
    return c.json(await entryOf(db, playlist.id, trackId, c.var.viewer.id), 200);
  })
  .openapi(removeEntryRoute, async (c) => {
    const db = c.var.db;
    const { id, trackId } = c.req.valid("param");
    const { playlist } = await getEditablePlaylist(db, id, c.var.viewer);
    auditPlaylist(c, playlist, "playlist.track_remove", { trackId });
    if (!(await removeEntry(db, playlist.id, trackId))) throw notFound("Playlist entry");
    return c.body(null, 204);
  });
