import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { followingFeed, recentTracks, trendingTracks } from "./discover.ts";
import { TrackSchema } from "./schemas.ts";

const TrendingTrack = TrackSchema.extend({ recentPlays: z.number().int() }).openapi("TrendingTrack");

const feed = createRoute({
  ...endpoint("get", "/feed", "discover"),
  summary: "New tracks from the artists the signed-in user follows, newest first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(TrackSchema), "A page of tracks") }),
});

const recent = createRoute({
  ...endpoint("get", "/discover/recent", "discover"),
  summary: "Recently added public tracks, newest first",
  request: { query: PageQuery },
  ...maybeSignedIn({ 200: jsonResponse(pageOf(TrackSchema), "A page of tracks") }),
});

const trending = createRoute({
  ...endpoint("get", "/discover/trending", "discover"),
  summary: "Public tracks with the most plays over the last 7 days (UTC), then by id",
  request: { query: PageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(TrendingTrack), "A page of tracks with their recent play count"),
  }),
});

export const discoverRoutes = createRouter()
  .openapi(feed, async (c) => c.json(await followingFeed(c.var.db, c.var.viewer, c.req.valid("query")), 200))
  .openapi(recent, async (c) => c.json(await recentTracks(c.var.db, c.var.viewer, c.req.valid("query")), 200))
  .openapi(trending, async (c) => c.json(await trendingTracks(c.var.db, c.var.viewer, c.req.valid("query")), 200));
