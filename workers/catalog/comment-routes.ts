import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
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
} from "../shared/openapi.ts";
import { auditIfAdminOverride } from "./admin.ts";
import { addComment, deletableComment, deleteComment, listComments } from "./comments.ts";
import { CommentSchema } from "./schemas.ts";

const CreateCommentBody = z.object({
  body: z.string().trim().min(1).max(2000),
  atMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .optional(),
});

const listCommentsRoute = createRoute({
  ...endpoint("get", "/tracks/{id}/comments", "comments"),
  summary: "Comments on a track, newest first",
  request: { params: IdParams, query: PageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(CommentSchema), "A page of comments"),
    404: errorResponse("No such track"),
  }),
});

const postComment = createRoute({
  ...endpoint("post", "/tracks/{id}/comments", "comments"),
  request: { params: IdParams, ...jsonBody(CreateCommentBody) },
  ...signedIn({
    201: jsonResponse(CommentSchema, "The new comment"),
    403: errorResponse("The email address is not verified yet (email_unverified)"),
    404: errorResponse("No such track"),
  }),
});

const deleteCommentRoute = createRoute({
  ...endpoint("delete", "/tracks/{id}/comments/{commentId}", "comments"),
  summary: "Delete a comment: its author, the track's owner or an admin",
  request: { params: z.object({ id: IdParam, commentId: IdParam }) },
  ...signedIn({
    204: { description: "Deleted" },
    403: errorResponse("Not the author, the track owner or an admin"),
    404: errorResponse("No such comment"),
  }),
});

export const commentRoutes = createRouter()
  .openapi(listCommentsRoute, async (c) =>
    c.json(await listComments(c.var.db, c.var.viewer, c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(postComment, async (c) =>
    c.json(await addComment(c.env, c.var.db, c.var.viewer, c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(deleteCommentRoute, async (c) => {
    const me = c.var.viewer;
    const { track, comment } = await deletableComment(
      c.var.db,
      me,
      c.req.valid("param").id,
      c.req.valid("param").commentId,
    );
    if (track.ownerId !== me.id) {
      auditIfAdminOverride(c, comment.userId, {
        action: "comment.delete",
        targetType: "comment",
        targetId: comment.id,
        details: { trackId: track.id, body: comment.body },
      });
    }
    await deleteComment(c.var.db, comment.id);
    return c.body(null, 204);
  });
