import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, gte, inArray, lt, or, sql, sum } from "drizzle-orm";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { follows, trackDailyPlays, tracks, users } from "../db/schema/index.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { createRouter, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { TrackSchema } from "./schemas.ts";
import { newestTracksPage, toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { listableSql } from "./visibility-sql.ts";

const DAY_MS = 86_400_000;
const TRENDING_DAYS = 7;

const TrendingTrack = TrackSchema.extend({ recentPlays: z.number().int() }).openapi("TrendingTrack");

const feed = createRoute({
  method: "get",
  path: "/feed",
  tags: ["discover"],
  summary: "New tracks from the artists the signed-in user follows, newest first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(TrackSchema), "A page of tracks") }),
});

const recent = createRoute({
  method: "get",
  path: "/discover/recent",
  tags: ["discover"],
  summary: "Recently added public tracks, newest first",
  request: { query: PageQuery },
  ...maybeSignedIn({ 200: jsonResponse(pageOf(TrackSchema), "A page of tracks") }),
});

const trending = createRoute({
  method: "get",
  path: "/discover/trending",
  tags: ["discover"],
  summary: "Public tracks with the most plays over the last 7 days (UTC), then by id",
  request: { query: PageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(TrendingTrack), "A page of tracks with their recent play count"),
  }),
});

export const discoverRoutes = createRouter()
  .openapi(feed, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const { cursor, limit } = c.req.valid("query");
    const followed = db.select({ id: follows.followeeId }).from(follows).where(eq(follows.followerId, me.id));
    const page = await newestTracksPage(
      db,
      me.id,
      [inArray(tracks.ownerId, followed), listableSql],
      decodeCursor(cursor),
      limit,
    );
    return c.json(page, 200);
  })
  .openapi(recent, async (c) => {
    const db = c.var.db;
    const { cursor, limit } = c.req.valid("query");
    return c.json(await newestTracksPage(db, c.var.viewer?.id, [listableSql], decodeCursor(cursor), limit), 200);
  })
  .openapi(trending, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { cursor, limit } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const firstDay = Math.floor(Date.now() / DAY_MS) - (TRENDING_DAYS - 1);
    const recentPlays = sql<number>`${sum(trackDailyPlays.plays)}`.mapWith(Number);
    const rows = await db
      .select({ ...trackWithOwnerColumns, recentPlays })
      .from(trackDailyPlays)
      .innerJoin(tracks, eq(tracks.id, trackDailyPlays.trackId))
      .innerJoin(users, eq(users.id, tracks.ownerId))
      .where(and(gte(trackDailyPlays.day, firstDay), listableSql))
      .groupBy(trackDailyPlays.trackId)
      .having(after ? or(lt(recentPlays, after.k), and(eq(recentPlays, after.k), lt(tracks.id, after.id))) : undefined)
      .orderBy(desc(recentPlays), desc(tracks.id))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.recentPlays, id: r.track.id }));
    const trackItems = await toTrackResponses(db, viewer?.id, page.items);
    const items = trackItems.map((t, i) => ({ ...t, recentPlays: page.items[i]!.recentPlays }));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
