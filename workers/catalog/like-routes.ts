import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { signedIn } from "../auth/route-presets.ts";
import { likes, tracks, users } from "../db/schema/index.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { createRouter, errorResponse, IdParams, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { viewableTrack } from "./access.ts";
import { afterCursor } from "./keyset.ts";
import { TrackSchema } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { viewableSql } from "./visibility-sql.ts";

const LikeState = z.object({ liked: z.boolean(), likeCount: z.number().int() }).openapi("LikeState");

function likeRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/tracks/{id}/like",
    tags: ["likes"],
    request: { params: IdParams },
    ...signedIn({
      200: jsonResponse(LikeState, "The like state after the change (idempotent)"),
      404: errorResponse("No such track"),
    }),
  });
}

const myLikes = createRoute({
  method: "get",
  path: "/me/likes",
  tags: ["likes"],
  summary: "Tracks the signed-in user liked, most recent like first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(TrackSchema), "A page of liked tracks") }),
});

export const likeRoutes = createRouter()
  .openapi(likeRoute("post"), async (c) => {
    const db = c.var.db;
    const { track } = await viewableTrack(db, c.req.valid("param").id, c.var.viewer);
    const [, count] = await db.batch([
      db
        .insert(likes)
        .values({ userId: c.var.viewer.id, trackId: track.id, createdAt: Date.now() })
        .onConflictDoNothing(),
      db.select({ likeCount: tracks.likeCount }).from(tracks).where(eq(tracks.id, track.id)),
    ]);
    return c.json({ liked: true, likeCount: count[0]?.likeCount ?? 0 }, 200);
  })
  .openapi(likeRoute("delete"), async (c) => {
    const db = c.var.db;
    const { track } = await viewableTrack(db, c.req.valid("param").id, c.var.viewer);
    const [, count] = await db.batch([
      db.delete(likes).where(and(eq(likes.userId, c.var.viewer.id), eq(likes.trackId, track.id))),
      db.select({ likeCount: tracks.likeCount }).from(tracks).where(eq(tracks.id, track.id)),
    ]);
    return c.json({ liked: false, likeCount: count[0]?.likeCount ?? 0 }, 200);
  })
  .openapi(myLikes, async (c) => {
    const db = c.var.db;
    const { cursor, limit } = c.req.valid("query");
    const me = c.var.viewer;
    const rows = await db
      .select({ ...trackWithOwnerColumns, likedAt: likes.createdAt })
      .from(likes)
      .innerJoin(tracks, eq(tracks.id, likes.trackId))
      .innerJoin(users, eq(users.id, tracks.ownerId))
      .where(
        and(
          eq(likes.userId, me.id),
          viewableSql(c.var.viewer),
          afterCursor(likes.createdAt, likes.trackId, decodeCursor(cursor)),
        ),
      )
      .orderBy(desc(likes.createdAt), desc(likes.trackId))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.likedAt, id: r.track.id }));
    return c.json({ items: await toTrackResponses(db, me.id, page.items), nextCursor: page.nextCursor }, 200);
  });
