import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { maybeSignedIn } from "../auth/route-presets.ts";
import { playlists, tracks, userStats, users } from "../db/schema/index.ts";
import { decodeOffsetCursor, encodeOffsetCursor } from "../shared/cursor.ts";
import { createRouter, jsonResponse } from "../shared/openapi.ts";
import { playlistColumns, toPlaylistResponse } from "./playlists.ts";
import { toUserSummary } from "./profile-routes.ts";
import { PlaylistSchema, TrackSchema, UserSummarySchema } from "./schemas.ts";
import { matchExpression } from "./search.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { accountVisibleSql, listableSql } from "./visibility-sql.ts";

// FTS rows share their source row's rowid (the search migration's triggers keep it so): joining on
// it is a direct lookup and reads no FTS column, about twice as fast as the id for broad prefixes.
// The rowids of these tables are implicit, so a VACUUM could renumber them; rebuild the FTS
// tables (the migration's INSERT … SELECT) after one.

/** Deep pages of a relevance ranking are not useful; this bounds the work an offset can cause. */
const MAX_OFFSET = 1000;

const SearchQuery = z.object({
  q: z.string().max(200, "Search for at most 200 characters."),
  type: z.enum(["tracks", "users", "playlists"]).default("tracks"),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const SearchResults = z
  .object({
    type: z.enum(["tracks", "users", "playlists"]),
    items: z.array(z.union([TrackSchema, UserSummarySchema, PlaylistSchema])),
    nextCursor: z.string().nullable(),
  })
  .openapi("SearchResults");

const search = createRoute({
  method: "get",
  path: "/search",
  tags: ["search"],
  summary: "Full-text search: prefix matching on the last word, ranked by relevance then popularity",
  request: { query: SearchQuery },
  ...maybeSignedIn({ 200: jsonResponse(SearchResults, "A page of results of the given type") }),
});

function nextCursorOf<T>(rows: T[], limit: number, offset: number): string | null {
  const next = offset + limit;
  return rows.length > limit && next <= MAX_OFFSET ? encodeOffsetCursor(next) : null;
}

export const searchRoutes = createRouter().openapi(search, async (c) => {
  const db = c.var.db;
  const viewer = c.var.viewer;
  const { q, type, cursor, limit } = c.req.valid("query");
  const offset = decodeOffsetCursor(cursor, MAX_OFFSET);
  const match = matchExpression(q);
  if (!match) return c.json({ type, items: [], nextCursor: null }, 200);

  if (type === "tracks") {
    const score = sql`bm25(tracks_fts, 0, 10.0, 6.0, 2.0, 3.0)`;
    const rows = await db
      .select(trackWithOwnerColumns)
      .from(sql`tracks_fts`)
      .innerJoin(tracks, sql`tracks.rowid = tracks_fts.rowid`)
      .innerJoin(users, eq(users.id, tracks.ownerId))
      .where(and(sql`tracks_fts MATCH ${match}`, listableSql))
      .orderBy(asc(score), desc(tracks.playCount), desc(tracks.id))
      .limit(limit + 1)
      .offset(offset);
    const items = await toTrackResponses(db, viewer?.id, rows.slice(0, limit));
    return c.json({ type, items, nextCursor: nextCursorOf(rows, limit, offset) }, 200);
  }

  if (type === "users") {
    const score = sql`bm25(users_fts, 0, 10.0, 5.0)`;
    const rows = await db
      .select({ user: users })
      .from(sql`users_fts`)
      .innerJoin(users, sql`users.rowid = users_fts.rowid`)
      .leftJoin(userStats, eq(userStats.userId, users.id))
      .where(and(sql`users_fts MATCH ${match}`, eq(users.status, "active")))
      .orderBy(asc(score), desc(sql`coalesce(${userStats.followerCount}, 0)`), desc(users.id))
      .limit(limit + 1)
      .offset(offset);
    const items = rows.slice(0, limit).map((r) => toUserSummary(r.user));
    return c.json({ type, items, nextCursor: nextCursorOf(rows, limit, offset) }, 200);
  }

  const score = sql`bm25(playlists_fts, 0, 10.0, 2.0)`;
  const columns = playlistColumns(viewer);
  const rows = await db
    .select(columns)
    .from(sql`playlists_fts`)
    .innerJoin(playlists, sql`playlists.rowid = playlists_fts.rowid`)
    .innerJoin(users, eq(users.id, playlists.ownerId))
    .where(
      and(
        sql`playlists_fts MATCH ${match}`,
        eq(playlists.visibility, "public"),
        accountVisibleSql(playlists.ownerId, viewer),
      ),
    )
    .orderBy(asc(score), desc(columns.trackCount), desc(playlists.id))
    .limit(limit + 1)
    .offset(offset);
  const items = rows.slice(0, limit).map(toPlaylistResponse);
  return c.json({ type, items, nextCursor: nextCursorOf(rows, limit, offset) }, 200);
});
