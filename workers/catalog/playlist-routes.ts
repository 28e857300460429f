import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { VISIBILITIES } from "../db/schema/index.ts";
import type { AppBindings } from "../env.ts";
import {
  createRouter,
  endpoint,
  errorResponse,
  IdParam,
  IdParams,
  jsonBody,
  jsonResponse,
  PageQuery,
  pageOf,
  patchBody,
} from "../shared/openapi.ts";
import { auditIfAdminOverride } from "./admin.ts";
import { addPlaylistEntry, listPlaylistEntries, movePlaylistEntry, removePlaylistEntry } from "./playlist-entries.ts";
import { MAX_PLAYLIST_TRACKS } from "./playlist-order.ts";
import {
  createPlaylist,
  deletePlaylist,
  getEditablePlaylist,
  getPlaylist,
  listPlaylists,
  toPlaylistResponse,
  updatePlaylist,
} from "./playlists.ts";
import { Description, OwnerPageQuery, PlaylistSchema, Title, TrackSchema } from "./schemas.ts";

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

const listPlaylistsRoute = createRoute({
  ...endpoint("get", "/playlists", "playlists"),
  summary: "One owner's playlists (all of them to the owner), or the most recent public ones",
  request: { query: OwnerPageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(PlaylistSchema), "A page of playlists"),
    404: errorResponse("No such owner"),
  }),
});

const createPlaylistRoute = createRoute({
  ...endpoint("post", "/playlists", "playlists"),
  request: jsonBody(CreatePlaylistBody),
  ...signedIn({ 201: jsonResponse(PlaylistSchema, "The new playlist") }),
});

const getPlaylistRoute = createRoute({
  ...endpoint("get", "/playlists/{id}", "playlists"),
  request: { params: IdParams },
  ...maybeSignedIn({
    200: jsonResponse(PlaylistSchema, "The playlist"),
    404: errorResponse("No such playlist"),
  }),
});

const patchPlaylist = createRoute({
  ...endpoint("patch", "/playlists/{id}", "playlists"),
  request: { params: IdParams, ...jsonBody(UpdatePlaylistBody) },
  ...signedIn({ 200: jsonResponse(PlaylistSchema, "The updated playlist"), ...notFoundOrForbidden }),
});

const deletePlaylistRoute = createRoute({
  ...endpoint("delete", "/playlists/{id}", "playlists"),
  request: { params: IdParams },
  ...signedIn({ 204: { description: "Deleted" }, ...notFoundOrForbidden }),
});

const listEntries = createRoute({
  ...endpoint("get", "/playlists/{id}/tracks", "playlists"),
  summary: "The playlist's tracks in order, leaving out any the caller may not see",
  request: { params: IdParams, query: PageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(EntrySchema), "A page of entries"),
    404: errorResponse("No such playlist"),
  }),
});

const addEntry = createRoute({
  ...endpoint("post", "/playlists/{id}/tracks", "playlists"),
  summary: "Add a track at a position (default: the end); later tracks move down",
  request: { params: IdParams, ...jsonBody(z.object({ trackId: IdParam, position: Position.optional() })) },
  ...signedIn({
    201: jsonResponse(EntrySchema, "The new entry"),
    409: errorResponse("Already in the playlist, or the playlist is full"),
    ...notFoundOrForbidden,
  }),
});

const moveEntryRoute = createRoute({
  ...endpoint("patch", "/playlists/{id}/tracks/{trackId}", "playlists"),
  summary: "Move a track to another position (reorder)",
  request: { params: EntryParams, ...jsonBody(z.object({ position: Position })) },
  ...signedIn({ 200: jsonResponse(EntrySchema, "The moved entry"), ...notFoundOrForbidden }),
});

const removeEntryRoute = createRoute({
  ...endpoint("delete", "/playlists/{id}/tracks/{trackId}", "playlists"),
  request: { params: EntryParams },
  ...signedIn({ 204: { description: "Removed; later tracks move up" }, ...notFoundOrForbidden }),
});

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
  .openapi(listPlaylistsRoute, async (c) =>
    c.json(await listPlaylists(c.var.db, c.var.viewer, c.req.valid("query")), 200),
  )
  .openapi(createPlaylistRoute, async (c) =>
    c.json(await createPlaylist(c.var.db, c.var.viewer, c.req.valid("json")), 201),
  )
  .openapi(getPlaylistRoute, async (c) =>
    c.json(toPlaylistResponse(await getPlaylist(c.var.db, c.req.valid("param").id, c.var.viewer)), 200),
  )
  .openapi(patchPlaylist, async (c) => {
    const { playlist } = await getEditablePlaylist(c.var.db, c.req.valid("param").id, c.var.viewer);
    const changes = c.req.valid("json");
    auditPlaylist(c, playlist, "playlist.update", { changes });
    return c.json(await updatePlaylist(c.var.db, c.var.viewer, playlist.id, changes), 200);
  })
  .openapi(deletePlaylistRoute, async (c) => {
    const { playlist } = await getEditablePlaylist(c.var.db, c.req.valid("param").id, c.var.viewer);
    auditPlaylist(c, playlist, "playlist.delete");
    await deletePlaylist(c.var.db, playlist.id);
    return c.body(null, 204);
  })
  .openapi(listEntries, async (c) =>
    c.json(await listPlaylistEntries(c.var.db, c.var.viewer, c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(addEntry, async (c) => {
    const { playlist } = await getEditablePlaylist(c.var.db, c.req.valid("param").id, c.var.viewer);
    const { trackId, position } = c.req.valid("json");
    auditPlaylist(c, playlist, "playlist.track_add", { trackId });
    return c.json(await addPlaylistEntry(c.var.db, c.var.viewer, playlist.id, trackId, position), 201);
  })
  .openapi(moveEntryRoute, async (c) => {
    const { id, trackId } = c.req.valid("param");
    const { position } = c.req.valid("json");
    const { playlist } = await getEditablePlaylist(c.var.db, id, c.var.viewer);
    auditPlaylist(c, playlist, "playlist.track_move", { trackId, position });
    return c.json(await movePlaylistEntry(c.var.db, c.var.viewer, playlist.id, trackId, position), 200);
  })
  .openapi(removeEntryRoute, async (c) => {
    const { id, trackId } = c.req.valid("param");
    const { playlist } = await getEditablePlaylist(c.var.db, id, c.var.viewer);
    auditPlaylist(c, playlist, "playlist.track_remove", { trackId });
    await removePlaylistEntry(c.var.db, playlist.id, trackId);
    return c.body(null, 204);
  });
