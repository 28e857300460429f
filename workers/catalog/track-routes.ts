import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { VISIBILITIES } from "../db/schema/index.ts";
import { evictTrackCache } from "../media/cache.ts";
import {
  createRouter,
  endpoint,
  errorResponse,
  IdParams,
  jsonBody,
  jsonResponse,
  pageOf,
  patchBody,
} from "../shared/openapi.ts";
import { editableTrack } from "./access.ts";
import { auditIfAdminOverride } from "./admin.ts";
import { Description, Title, TrackListQuery, TrackSchema } from "./schemas.ts";
import { removeTrack } from "./track-delete.ts";
import { getTrackForViewer, listTracks } from "./track-list.ts";
import { updateTrack } from "./tracks.ts";

const Tag = z.string().trim().min(1).max(40);

const UpdateTrackBody = patchBody({
  title: Title,
  artist: z.string().trim().min(1).max(200),
  genre: z.string().trim().max(60),
  tags: z.array(Tag).max(20),
  description: Description,
  visibility: z.enum(VISIBILITIES),
  downloadable: z.boolean(),
});

const listTracksRoute = createRoute({
  ...endpoint("get", "/tracks", "tracks"),
  summary: "Tracks visible to the caller: one owner's, one genre's, or the most recently added",
  request: { query: TrackListQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(TrackSchema), "A page of tracks"),
    404: errorResponse("No such owner"),
  }),
});

const getTrack = createRoute({
  ...endpoint("get", "/tracks/{id}", "tracks"),
  request: { params: IdParams },
  ...maybeSignedIn({ 200: jsonResponse(TrackSchema, "The track"), 404: errorResponse("No such track") }),
});

const patchTrack = createRoute({
  ...endpoint("patch", "/tracks/{id}", "tracks"),
  request: { params: IdParams, ...jsonBody(UpdateTrackBody) },
  ...signedIn({
    200: jsonResponse(TrackSchema, "The updated track"),
    403: errorResponse("Not the owner"),
    404: errorResponse("No such track"),
  }),
});

const deleteTrackRoute = createRoute({
  ...endpoint("delete", "/tracks/{id}", "tracks"),
  request: { params: IdParams },
  ...signedIn({
    204: { description: "Deleted, with its likes, comments, plays and playlist entries" },
    403: errorResponse("Not the owner"),
    404: errorResponse("No such track"),
  }),
});

export const trackRoutes = createRouter()
  .openapi(listTracksRoute, async (c) => c.json(await listTracks(c.var.db, c.var.viewer, c.req.valid("query")), 200))
  .openapi(getTrack, async (c) => c.json(await getTrackForViewer(c.var.db, c.var.viewer, c.req.valid("param").id), 200))
  .openapi(patchTrack, async (c) => {
    const found = await editableTrack(c.var.db, c.req.valid("param").id, c.var.viewer);
    const changes = c.req.valid("json");
    auditIfAdminOverride(c, found.track.ownerId, {
      action: "track.update",
      targetType: "track",
      targetId: found.track.id,
      details: { title: found.track.title, changes },
    });
    const updated = await updateTrack(c.env, c.var.db, c.var.viewer, found, changes);
    if (changes.visibility !== undefined && changes.visibility !== found.track.visibility) {
      await evictTrackCache(c.env, found.track.id, found.track.mediaVersion);
    }
    return c.json(updated, 200);
  })
  .openapi(deleteTrackRoute, async (c) => {
    const { track } = await editableTrack(c.var.db, c.req.valid("param").id, c.var.viewer);
    auditIfAdminOverride(c, track.ownerId, {
      action: "track.delete",
      targetType: "track",
      targetId: track.id,
      details: { title: track.title },
    });
    await removeTrack(c.env, c.var.db, track.id);
    return c.body(null, 204);
  });
