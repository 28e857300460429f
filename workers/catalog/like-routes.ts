import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { currentUser, requireUser } from "../auth/middleware.ts";
import { getDb } from "../db/client.ts";
import { likes, tracks, users } from "../db/schema/index.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { commonErrors, createRouter, errorResponse, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { viewableTrack, viewerOf } from "./access.ts";
import { afterCursor } from "./keyset.ts";
import { IdParam, TrackSchema } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { viewableSql } from "./visibility-sql.ts";

const LikeState = z.object({ liked: z.boolean(), likeCount: z.number().int() }).openapi("LikeState");

function likeRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/tracks/{id}/like",
    tags: ["likes"],
    middleware: [requireUser] as const,
    request: { params: z.object({ id: IdParam }) },
    responses: {
      200: jsonResponse(LikeState, "The like state after the change (idempotent)"),
      404: errorResponse("No such track"),
      ...commonErrors,
    },
  });
}

const myLikes = createRoute({
  method: "get",
  path: "/me/likes",
  tags: ["likes"],
  summary: "Tracks the signed-in user liked, most recent like first",
  middleware: [requireUser] as const,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(pageOf(TrackSchema), "A page of liked tracks"), ...commonErrors },
});

export const likeRoutes = createRouter()
  .openapi(likeRoute("post"), async (c) => {
    const db = getDb(c.env.DB);
    const { track } = await viewableTrack(db, c.req.valid("param").id, viewerOf(c));
    const [, count] = await db.batch([
      db
        .insert(likes)
        .values({ userId: currentUser(c).id, trackId: track.id, createdAt: Date.now() })
        .onConflictDoNothing(),
      db.select({ likeCount: tracks.likeCount }).from(tracks).where(eq(tracks.id, track.id)),
    ]);
    return c.json({ liked: true, likeCount: count[0]?.likeCount ?? 0 }, 200);
  })
  .openapi(likeRoute("delete"), async (c) => {
    const db = getDb(c.env.DB);
    const { track } = await viewableTrack(db, c.req.valid("param").id, viewerOf(c));
    const [, count] = await db.batch([
      db.delete(likes).where(and(eq(likes.userId, currentUser(c).id), eq(likes.trackId, track.id))),
      db.select({ likeCount: tracks.likeCount }).from(tracks).where(eq(tracks.id, track.id)),
    ]);
    return c.json({ liked: false, likeCount: count[0]?.likeCount ?? 0 }, 200);
  })
  .openapi(myLikes, async (c) => {
    const db = getDb(c.env.DB);
    const { cursor, limit } = c.req.valid("query");
    const me = currentUser(c);
    const rows = await db
      .select({ ...trackWithOwnerColumns, likedAt: likes.createdAt })
      .from(likes)
      .innerJoin(tracks, eq(tracks.id, likes.trackId))
      .innerJoin(users, eq(users.id, tracks.ownerId))
      .where(
        and(
          eq(likes.userId, me.id),
          viewableSql(viewerOf(c)),
          afterCursor(likes.createdAt, likes.trackId, decodeCursor(cursor)),
        ),
      )
      .orderBy(desc(likes.createdAt), desc(likes.trackId))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.likedAt, id: r.track.id }));
    return c.json({ items: await toTrackResponses(db, me.id, page.items), nextCursor: page.nextCursor }, 200);
  });
