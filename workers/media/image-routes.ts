import { createRoute } from "@hono/zod-openapi";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { editableTrack, viewableTrack } from "../catalog/access.ts";
import { auditIfAdminOverride } from "../catalog/admin.ts";
import { getAlbum, getEditableAlbum, setAlbumCoverKey, toAlbumResponse } from "../catalog/albums.ts";
import { AlbumSchema, TrackSchema } from "../catalog/schemas.ts";
import { getTrackWithOwner, setTrackCoverKey, trackResponseOf } from "../catalog/tracks.ts";
import { notFound } from "../shared/errors.ts";
import { createRouter, endpoint, errorResponse, IdParams, jsonResponse } from "../shared/openapi.ts";
import { imageBody, imageErrors, imageResponse, storeImage } from "./images.ts";
import { albumCoverKey, trackCoverKey, trackPrefix } from "./keys.ts";
import { serveObject } from "./serve.ts";

const putCover = createRoute({
  ...endpoint("put", "/tracks/{id}/cover", "media"),
  request: { params: IdParams, ...imageBody },
  ...signedIn({
    200: jsonResponse(TrackSchema, "The track with its new cover"),
    ...imageErrors,
    403: errorResponse("Not your track"),
    404: errorResponse("No such track"),
  }),
});

const putAlbumCover = createRoute({
  ...endpoint("put", "/albums/{id}/cover", "media"),
  request: { params: IdParams, ...imageBody },
  ...signedIn({
    200: jsonResponse(AlbumSchema, "The album with its new cover"),
    ...imageErrors,
    403: errorResponse("Not your album"),
    404: errorResponse("No such album"),
  }),
});

const getAlbumCover = createRoute({
  ...endpoint("get", "/albums/{id}/cover", "media"),
  request: { params: IdParams },
  ...maybeSignedIn(imageResponse),
});

const getCover = createRoute({
  ...endpoint("get", "/tracks/{id}/cover", "media"),
  request: { params: IdParams },
  ...maybeSignedIn(imageResponse),
});

export const imageRoutes = createRouter()
  .openapi(putCover, async (c) => {
    const db = c.var.db;
    const { track } = await editableTrack(db, c.req.valid("param").id, c.var.viewer);
    auditIfAdminOverride(c, track.ownerId, { action: "track.cover", targetType: "track", targetId: track.id });
    await storeImage(c.env, trackCoverKey(track.id), c.req.raw);
    await setTrackCoverKey(db, track.id, trackCoverKey(track.id));
    const found = await getTrackWithOwner(db, track.id);
    if (!found) throw notFound("Track");
    return c.json(await trackResponseOf(db, found.track, found.owner), 200);
  })
  .openapi(getCover, async (c) => {
    const { track } = await viewableTrack(c.var.db, c.req.valid("param").id, c.var.viewer);
    // Only keys inside the track's own folder: the user's upload or the transcoder's embedded art.
    if (!track.coverKey?.startsWith(trackPrefix(track.id))) throw notFound("Cover");
    const cacheControl = track.visibility === "private" ? "private, max-age=300" : "public, max-age=300";
    return serveObject(c.env.MEDIA, track.coverKey, c.req.raw, { cacheControl });
  })
  .openapi(putAlbumCover, async (c) => {
    const db = c.var.db;
    const { album } = await getEditableAlbum(db, c.req.valid("param").id, c.var.viewer);
    auditIfAdminOverride(c, album.ownerId, { action: "album.cover", targetType: "album", targetId: album.id });
    await storeImage(c.env, albumCoverKey(album.id), c.req.raw);
    await setAlbumCoverKey(db, album.id, albumCoverKey(album.id));
    return c.json(toAlbumResponse(await getAlbum(db, album.id, c.var.viewer)), 200);
  })
  .openapi(getAlbumCover, async (c) => {
    const { album } = await getAlbum(c.var.db, c.req.valid("param").id, c.var.viewer);
    if (!album.coverKey) throw notFound("Cover");
    return serveObject(c.env.MEDIA, album.coverKey, c.req.raw, { cacheControl: "public, max-age=300" });
  });
