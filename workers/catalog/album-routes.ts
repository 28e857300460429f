import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import type { AppBindings } from "../env.ts";
import {
  createRouter,
  endpoint,
  errorResponse,
  IdParam,
  IdParams,
  jsonBody,
  jsonResponse,
  pageOf,
  patchBody,
} from "../shared/openapi.ts";
import { auditIfAdminOverride } from "./admin.ts";
import {
  createAlbum,
  deleteAlbum,
  getAlbumWithTracks,
  getEditableAlbum,
  listAlbums,
  MAX_ALBUM_TRACKS,
  setAlbumTracks,
  updateAlbum,
} from "./albums.ts";
import { AlbumSchema, Description, OwnerPageQuery, Title, TrackSchema } from "./schemas.ts";

const AlbumWithTracks = AlbumSchema.extend({ tracks: z.array(TrackSchema) }).openapi("AlbumWithTracks");

const ReleaseDate = z.iso.date().nullable();
const TrackIds = z.array(IdParam).max(MAX_ALBUM_TRACKS);
const CreateAlbumBody = z.object({
  title: Title,
  description: Description.optional(),
  releasedOn: ReleaseDate.optional(),
  trackIds: TrackIds.optional(),
});
const UpdateAlbumBody = patchBody({ title: Title, description: Description, releasedOn: ReleaseDate });

const ownerErrors = { 403: errorResponse("Not the owner"), 404: errorResponse("No such album") };

const listAlbumsRoute = createRoute({
  ...endpoint("get", "/albums", "albums"),
  summary: "One owner's albums, or the most recent ones",
  request: { query: OwnerPageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(AlbumSchema), "A page of albums"),
    404: errorResponse("No such owner"),
  }),
});

const createAlbumRoute = createRoute({
  ...endpoint("post", "/albums", "albums"),
  request: jsonBody(CreateAlbumBody),
  ...signedIn({ 201: jsonResponse(AlbumWithTracks, "The new album") }),
});

const getAlbumRoute = createRoute({
  ...endpoint("get", "/albums/{id}", "albums"),
  summary: "An album with its tracks in order (only those the caller may see)",
  request: { params: IdParams },
  ...maybeSignedIn({ 200: jsonResponse(AlbumWithTracks, "The album"), 404: errorResponse("No such album") }),
});

const patchAlbum = createRoute({
  ...endpoint("patch", "/albums/{id}", "albums"),
  request: { params: IdParams, ...jsonBody(UpdateAlbumBody) },
  ...signedIn({ 200: jsonResponse(AlbumWithTracks, "The updated album"), ...ownerErrors }),
});

const putAlbumTracks = createRoute({
  ...endpoint("put", "/albums/{id}/tracks", "albums"),
  summary: "Set the album's tracks and their order",
  request: { params: IdParams, ...jsonBody(z.object({ trackIds: TrackIds })) },
  ...signedIn({
    200: jsonResponse(AlbumWithTracks, "The album with its new track list"),
    ...ownerErrors,
  }),
});

const deleteAlbumRoute = createRoute({
  ...endpoint("delete", "/albums/{id}", "albums"),
  summary: "Delete the album (its tracks stay)",
  request: { params: IdParams },
  ...signedIn({ 204: { description: "Deleted" }, ...ownerErrors }),
});

function auditAlbum<E extends AppBindings>(
  c: Context<E, string, object>,
  album: { id: string; ownerId: string; title: string },
  action: string,
  details: Record<string, unknown> = {},
) {
  auditIfAdminOverride(c, album.ownerId, {
    action,
    targetType: "album",
    targetId: album.id,
    details: { title: album.title, ...details },
  });
}

export const albumRoutes = createRouter()
  .openapi(listAlbumsRoute, async (c) => c.json(await listAlbums(c.var.db, c.var.viewer, c.req.valid("query")), 200))
  .openapi(createAlbumRoute, async (c) => c.json(await createAlbum(c.var.db, c.var.viewer, c.req.valid("json")), 201))
  .openapi(getAlbumRoute, async (c) =>
    c.json(await getAlbumWithTracks(c.var.db, c.var.viewer, c.req.valid("param").id), 200),
  )
  .openapi(patchAlbum, async (c) => {
    const { album } = await getEditableAlbum(c.var.db, c.req.valid("param").id, c.var.viewer);
    const changes = c.req.valid("json");
    auditAlbum(c, album, "album.update", { changes });
    return c.json(await updateAlbum(c.var.db, c.var.viewer, album.id, changes), 200);
  })
  .openapi(putAlbumTracks, async (c) => {
    const { album } = await getEditableAlbum(c.var.db, c.req.valid("param").id, c.var.viewer);
    const { trackIds } = c.req.valid("json");
    auditAlbum(c, album, "album.tracks", { trackIds });
    await setAlbumTracks(c.var.db, album, trackIds);
    return c.json(await getAlbumWithTracks(c.var.db, c.var.viewer, album.id), 200);
  })
  .openapi(deleteAlbumRoute, async (c) => {
    const { album } = await getEditableAlbum(c.var.db, c.req.valid("param").id, c.var.viewer);
    auditAlbum(c, album, "album.delete");
    await deleteAlbum(c.env, c.var.db, album.id);
    return c.body(null, 204);
  });
