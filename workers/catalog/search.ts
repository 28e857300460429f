import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { playlists, tracks, userStats, users } from "../db/schema/index.ts";
import { decodeOffsetCursor, encodeOffsetCursor } from "../shared/cursor.ts";
import type { Page, PageRequest } from "../shared/keyset.ts";
import { playlistColumns, toPlaylistResponse } from "./playlists.ts";
import { toUserSummary, type UserSummary } from "./profiles.ts";
import type { TrackResponse } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import type { Viewer } from "./visibility.ts";
import { accountVisibleSql, listableSql } from "./visibility-sql.ts";

/** At most this many words of a query reach the index; the rest would only narrow an AND further. */
const MAX_TOKENS = 8;
const MAX_TOKEN_LENGTH = 64;

/**
 * Turns what a user typed into an FTS5 MATCH expression that cannot carry FTS syntax: the text
 * is cut into words (letters, digits, combining marks: the same words the unicode61 tokenizer
 * indexes), each word is quoted, and the last gets `*` for prefix matching while typing, unless
 * the query ends with a space (the word is complete). Returns null when there is nothing to find.
 */
export function matchExpression(query: string): string | null {
  const words =
    query
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  const tokens = words.slice(0, MAX_TOKENS).map((w) => w.slice(0, MAX_TOKEN_LENGTH));
  if (tokens.length === 0) return null;
  const prefix = !/\s$/u.test(query) || words.length > MAX_TOKENS;
  return tokens.map((t, i) => (i === tokens.length - 1 && prefix ? `"${t}"*` : `"${t}"`)).join(" ");
}

// FTS rows share their source row's rowid (the search migration's triggers keep it so): joining on
// it is a direct lookup and reads no FTS column, about twice as fast as the id for broad prefixes.
// The rowids of these tables are implicit, so a VACUUM could renumber them; rebuild the FTS
// tables (the migration's INSERT … SELECT) after one.

/** Deep pages of a relevance ranking are not useful; this bounds the work an offset can cause. */
const MAX_OFFSET = 1000;

/** Search pages are ranked, not keyed: the cursor carries the offset into the ranking. */
async function rankedPage<R, T>(
  query: string,
  { cursor, limit }: PageRequest,
  fetch: (match: string, offset: number, take: number) => Promise<R[]>,
  shape: (rows: R[]) => T[] | Promise<T[]>,
): Promise<Page<T>> {
  const offset = decodeOffsetCursor(cursor, MAX_OFFSET);
  const match = matchExpression(query);
  if (!match) return { items: [], nextCursor: null };
  const rows = await fetch(match, offset, limit + 1);
  const next = offset + limit;
  const nextCursor = rows.length > limit && next <= MAX_OFFSET ? encodeOffsetCursor(next) : null;
  return { items: await shape(rows.slice(0, limit)), nextCursor };
}

/** Listable tracks matching the query, by relevance then plays. */
export function searchTracks(db: Db, viewer: Viewer, query: string, page: PageRequest): Promise<Page<TrackResponse>> {
  const score = sql`bm25(tracks_fts, 0, 10.0, 6.0, 2.0, 3.0)`;
  return rankedPage(
    query,
    page,
    (match, offset, take) =>
      db
        .select(trackWithOwnerColumns)
        .from(sql`tracks_fts`)
        .innerJoin(tracks, sql`tracks.rowid = tracks_fts.rowid`)
        .innerJoin(users, eq(users.id, tracks.ownerId))
        .where(and(sql`tracks_fts MATCH ${match}`, listableSql))
        .orderBy(asc(score), desc(tracks.playCount), desc(tracks.id))
        .limit(take)
        .offset(offset),
    (rows) => toTrackResponses(db, viewer?.id, rows),
  );
}

/** Active accounts matching the query, by relevance then followers. */
export function searchUsers(db: Db, query: string, page: PageRequest): Promise<Page<UserSummary>> {
  const score = sql`bm25(users_fts, 0, 10.0, 5.0)`;
  return rankedPage(
    query,
    page,
    (match, offset, take) =>
      db
        .select({ user: users })
        .from(sql`users_fts`)
        .innerJoin(users, sql`users.rowid = users_fts.rowid`)
        .leftJoin(userStats, eq(userStats.userId, users.id))
        .where(and(sql`users_fts MATCH ${match}`, eq(users.status, "active")))
        .orderBy(asc(score), desc(sql`coalesce(${userStats.followerCount}, 0)`), desc(users.id))
        .limit(take)
        .offset(offset),
    (rows) => rows.map((r) => toUserSummary(r.user)),
  );
}

/** Public playlists of visible accounts matching the query, by relevance then size. */
export function searchPlaylists(db: Db, viewer: Viewer, query: string, page: PageRequest) {
  const score = sql`bm25(playlists_fts, 0, 10.0, 2.0)`;
  const columns = playlistColumns(viewer);
  return rankedPage(
    query,
    page,
    (match, offset, take) =>
      db
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
        .limit(take)
        .offset(offset),
    (rows) => rows.map(toPlaylistResponse),
  );
}
