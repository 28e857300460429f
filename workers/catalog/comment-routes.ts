import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { enforceRateLimit } from "../auth/rate-limit.ts";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { comments, users } from "../db/schema/index.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { badRequest, forbidden, notFound } from "../shared/errors.ts";
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
} from "../shared/openapi.ts";
import { viewableTrack } from "./access.ts";
import { auditIfAdminOverride } from "./admin.ts";
import { commentColumns, getCommentWithAuthor, toCommentResponse } from "./comments.ts";
import { UserSummarySchema } from "./schemas.ts";
import { accountVisibleSql } from "./visibility-sql.ts";

export const CommentSchema = z
  .object({
    id: z.string(),
    trackId: z.string(),
    body: z.string(),
    atMs: z.number().int().nullable(),
    createdAt: z.string(),
    author: UserSummarySchema,
  })
  .openapi("Comment");

const CreateCommentBody = z.object({
  body: z.string().trim().min(1).max(2000),
  atMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .optional(),
});

const listComments = createRoute({
  method: "get",
  path: "/tracks/{id}/comments",
  tags: ["comments"],
  summary: "Comments on a track, newest first",
  request: { params: IdParams, query: PageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(CommentSchema), "A page of comments"),
    404: errorResponse("No such track"),
  }),
});

const postComment = createRoute({
  method: "post",
  path: "/tracks/{id}/comments",
  tags: ["comments"],
  request: { params: IdParams, ...jsonBody(CreateCommentBody) },
  ...signedIn({
    201: jsonResponse(CommentSchema, "The new comment"),
    404: errorResponse("No such track"),
  }),
});

const deleteComment = createRoute({
  method: "delete",
  path: "/tracks/{id}/comments/{commentId}",
  tags: ["comments"],
  summary: "Delete a comment: its author, the track's owner or an admin",
  request: { params: z.object({ id: IdParam, commentId: IdParam }) },
  ...signedIn({
    204: { description: "Deleted" },
    403: errorResponse("Not the author, the track owner or an admin"),
    404: errorResponse("No such comment"),
  }),
});

export const commentRoutes = createRouter()
  .openapi(listComments, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { track } = await viewableTrack(db, c.req.valid("param").id, viewer);
    const { cursor, limit } = c.req.valid("query");
    const rows = await db
      .select(commentColumns)
      .from(comments)
      .innerJoin(users, eq(users.id, comments.userId))
      .where(
        and(
          eq(comments.trackId, track.id),
          accountVisibleSql(comments.userId, viewer),
          afterCursor(comments.createdAt, comments.id, decodeCursor(cursor)),
        ),
      )
      .orderBy(desc(comments.createdAt), desc(comments.id))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.comment.createdAt, id: r.comment.id }));
    return c.json({ items: page.items.map(toCommentResponse), nextCursor: page.nextCursor }, 200);
  })
  .openapi(postComment, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const { track } = await viewableTrack(db, c.req.valid("param").id, c.var.viewer);
    const { body, atMs } = c.req.valid("json");
    if (atMs !== undefined && track.durationMs !== null && atMs > track.durationMs) {
      throw badRequest(`atMs is past the end of the track (${track.durationMs} ms).`);
    }
    await enforceRateLimit(c.env, "comment:user", me.id);
    const now = Date.now();
    const id = newId(now);
    await db
      .insert(comments)
      .values({ id, trackId: track.id, userId: me.id, body, atMs: atMs ?? null, createdAt: now });
    const created = await getCommentWithAuthor(db, id);
    if (!created) throw notFound("Comment");
    return c.json(toCommentResponse(created), 201);
  })
  .openapi(deleteComment, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { id, commentId } = c.req.valid("param");
    const { track } = await viewableTrack(db, id, viewer);
    const comment = await db
      .select()
      .from(comments)
      .where(and(eq(comments.id, commentId), eq(comments.trackId, track.id)))
      .get();
    if (!comment) throw notFound("Comment");
    const me = c.var.viewer;
    if (comment.userId !== me.id && track.ownerId !== me.id && me.role !== "admin") {
      throw forbidden("Only the comment's author, the track's owner or an admin can delete it.");
    }
    if (track.ownerId !== me.id) {
      auditIfAdminOverride(c, comment.userId, {
        action: "comment.delete",
        targetType: "comment",
        targetId: comment.id,
        details: { trackId: track.id, body: comment.body },
      });
    }
    await db.delete(comments).where(eq(comments.id, comment.id));
    return c.body(null, 204);
  });
