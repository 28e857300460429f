import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { tracks, VISIBILITIES } from "../db/schema/index.ts";
import { decodeCursor } from "../shared/cursor.ts";
import { createRouter, errorResponse, IdParams, jsonBody, jsonResponse, pageOf, patchBody } from "../shared/openapi.ts";
import { editableTrack, findProfileUser, viewableTrack } from "./access.ts";
import { auditIfAdminOverride } from "./admin.ts";
import { Description, OwnerPageQuery, Title, TrackSchema } from "./schemas.ts";
import { removeTrack } from "./track-delete.ts";
import { newestTracksPage } from "./track-list.ts";
import { likedSet, normalizeTags, toTrackResponse } from "./tracks.ts";
import { canEditTrack } from "./visibility.ts";
import { listableSql } from "./visibility-sql.ts";

const Tag = z.string().trim().min(1).max(40);

const UpdateTrackBody = patchBody({
  title: Title,
  artist: z.string().trim().min(1).max(200),
  genre: z.string().trim().max(60),
  tags: z.array(Tag).max(20),
  description: Description,
  visibility: z.enum(VISIBILITIES),
});

const listTracks = createRoute({
  method: "get",
  path: "/tracks",
  tags: ["tracks"],
  summary: "Tracks visible to the caller: one owner's, or the most recently added",
  request: { query: OwnerPageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(TrackSchema), "A page of tracks"),
    404: errorResponse("No such owner"),
  }),
});

const getTrack = createRoute({
  method: "get",
  path: "/tracks/{id}",
  tags: ["tracks"],
  request: { params: IdParams },
  ...maybeSignedIn({ 200: jsonResponse(TrackSchema, "The track"), 404: errorResponse("No such track") }),
});

const patchTrack = createRoute({
  method: "patch",
  path: "/tracks/{id}",
  tags: ["tracks"],
  request: { params: IdParams, ...jsonBody(UpdateTrackBody) },
  ...signedIn({
    200: jsonResponse(TrackSchema, "The updated track"),
    403: errorResponse("Not the owner"),
    404: errorResponse("No such track"),
  }),
});

const deleteTrackRoute = createRoute({
  method: "delete",
  path: "/tracks/{id}",
  tags: ["tracks"],
  request: { params: IdParams },
  ...signedIn({
    204: { description: "Deleted, with its likes, comments, plays and playlist entries" },
    403: errorResponse("Not the owner"),
    404: errorResponse("No such track"),
  }),
});

export const trackRoutes = createRouter()
  .openapi(listTracks, async (c) => {
    const { owner, cursor, limit } = c.req.valid("query");
    const db = c.var.db;
    const viewer = c.var.viewer;
    const conditions = [];
    if (owner) {
      const ownerRow = await findProfileUser(db, owner, viewer);
      conditions.push(eq(tracks.ownerId, ownerRow.id));
      if (!canEditTrack({ ownerId: ownerRow.id }, viewer)) conditions.push(listableSql);
    } else {
      conditions.push(listableSql);
    }
    return c.json(await newestTracksPage(db, viewer?.id, conditions, decodeCursor(cursor), limit), 200);
  })
  .openapi(getTrack, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { track, owner } = await viewableTrack(db, c.req.valid("param").id, viewer);
    const liked = viewer ? (await likedSet(db, viewer.id, [track.id])).has(track.id) : undefined;
    return c.json(toTrackResponse(track, owner, liked), 200);
  })
  .openapi(patchTrack, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { track, owner } = await editableTrack(db, c.req.valid("param").id, viewer);
    const changes = c.req.valid("json");
    auditIfAdminOverride(c, track.ownerId, {
      action: "track.update",
      targetType: "track",
      targetId: track.id,
      details: { title: track.title, changes },
    });
    const updated = await db
      .update(tracks)
      .set({ ...changes, ...(changes.tags ? { tags: normalizeTags(changes.tags) } : {}), updatedAt: Date.now() })
      .where(eq(tracks.id, track.id))
      .returning()
      .get();
    const liked = (await likedSet(db, c.var.viewer.id, [track.id])).has(track.id);
    return c.json(toTrackResponse(updated ?? track, owner, liked), 200);
  })
  .openapi(deleteTrackRoute, async (c) => {
    const db = c.var.db;
    const { track } = await editableTrack(db, c.req.valid("param").id, c.var.viewer);
    auditIfAdminOverride(c, track.ownerId, {
      action: "track.delete",
      targetType: "track",
      targetId: track.id,
      details: { title: track.title },
    });
    await removeTrack(c.env, db, track.id);
    return c.body(null, 204);
  });
