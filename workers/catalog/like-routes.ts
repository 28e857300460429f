import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, errorResponse, IdParams, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { likedTracks, setLike } from "./likes.ts";
import { TrackSchema } from "./schemas.ts";

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
  ...endpoint("get", "/me/likes", "likes"),
  summary: "Tracks the signed-in user liked, most recent like first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(TrackSchema), "A page of liked tracks") }),
});

export const likeRoutes = createRouter()
  .openapi(likeRoute("post"), async (c) =>
    c.json(await setLike(c.env, c.var.db, c.var.viewer, c.req.valid("param").id, true), 200),
  )
  .openapi(likeRoute("delete"), async (c) =>
    c.json(await setLike(c.env, c.var.db, c.var.viewer, c.req.valid("param").id, false), 200),
  )
  .openapi(myLikes, async (c) => c.json(await likedTracks(c.var.db, c.var.viewer, c.req.valid("query")), 200));
