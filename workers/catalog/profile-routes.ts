import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, errorResponse, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { getProfile, listFollows, setFollow } from "./profiles.ts";
import { ProfileSchema, UserSummarySchema } from "./schemas.ts";

const UsernameParams = z.object({ username: z.string().min(1).max(60) });
const FollowState = z.object({ following: z.boolean(), followerCount: z.number().int() }).openapi("FollowState");
const FollowEntry = UserSummarySchema.extend({ followedAt: z.string() }).openapi("FollowEntry");

const getProfileRoute = createRoute({
  ...endpoint("get", "/users/{username}", "profiles"),
  request: { params: UsernameParams },
  ...maybeSignedIn({
    200: jsonResponse(ProfileSchema, "The public profile"),
    404: errorResponse("No such user"),
  }),
});

function followRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/users/{username}/follow",
    tags: ["profiles"],
    request: { params: UsernameParams },
    ...signedIn({
      200: jsonResponse(FollowState, "The follow state after the change (idempotent)"),
      404: errorResponse("No such user"),
    }),
  });
}

function followListRoute(which: "followers" | "following") {
  return createRoute({
    method: "get",
    path: `/users/{username}/${which}`,
    tags: ["profiles"],
    summary: which === "followers" ? "Who follows this user, newest first" : "Whom this user follows, newest first",
    request: { params: UsernameParams, query: PageQuery },
    ...maybeSignedIn({
      200: jsonResponse(pageOf(FollowEntry), "A page of users"),
      404: errorResponse("No such user"),
    }),
  });
}

export const profileRoutes = createRouter()
  .openapi(getProfileRoute, async (c) =>
    c.json(await getProfile(c.var.db, c.var.viewer, c.req.valid("param").username), 200),
  )
  .openapi(followRoute("post"), async (c) =>
    c.json(await setFollow(c.env, c.var.db, c.var.viewer, c.req.valid("param").username, true), 200),
  )
  .openapi(followRoute("delete"), async (c) =>
    c.json(await setFollow(c.env, c.var.db, c.var.viewer, c.req.valid("param").username, false), 200),
  )
  .openapi(followListRoute("followers"), async (c) =>
    c.json(
      await listFollows(c.var.db, c.var.viewer, c.req.valid("param").username, "followers", c.req.valid("query")),
      200,
    ),
  )
  .openapi(followListRoute("following"), async (c) =>
    c.json(
      await listFollows(c.var.db, c.var.viewer, c.req.valid("param").username, "following", c.req.valid("query")),
      200,
    ),
  );
