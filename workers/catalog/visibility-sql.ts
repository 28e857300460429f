import { and, eq, ne, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { tracks } from "../db/schema/index.ts";
import type { Viewer } from "./visibility.ts";

// SQL forms of the rules in visibility.ts, for filtering lists inside D1.
// visibility-sql.test.ts checks them against those functions for every combination.

const always = sql`1 = 1`;

/** `account.status === "active"` for the account in `userId` (a correlated primary-key lookup). */
export function activeAccountSql(userId: SQLiteColumn): SQL {
  return sql`EXISTS (SELECT 1 FROM users AS account WHERE account.id = ${userId} AND account.status = 'active')`;
}

/** `isAccountVisible`: content of that account shows to this viewer. */
export function accountVisibleSql(userId: SQLiteColumn, viewer: Viewer): SQL {
  return viewer?.role === "admin" ? always : activeAccountSql(userId);
}

/** `isListable`: public, ready, and its owner's account is active. */
export const listableSql: SQL = and(
  eq(tracks.visibility, "public"),
  eq(tracks.status, "ready"),
  activeAccountSql(tracks.ownerId),
)!;

/** `canViewTrack`: what the viewer may open by id (their own lists: likes, history). */
export function viewableSql(viewer: Viewer): SQL {
  if (viewer?.role === "admin") return always;
  const byLink = and(ne(tracks.visibility, "private"), eq(tracks.status, "ready"))!;
  const mineOrByLink = viewer ? or(eq(tracks.ownerId, viewer.id), byLink)! : byLink;
  return and(activeAccountSql(tracks.ownerId), mineOrByLink)!;
}

/** `isListable || canEditTrack`: what may show in a list someone else curated (playlists, albums). */
export function listableForSql(viewer: Viewer): SQL {
  if (!viewer) return listableSql;
  if (viewer.role === "admin") return always;
  return or(eq(tracks.ownerId, viewer.id), listableSql)!;
}
