import { and, eq, ne, or, type SQL, sql } from "drizzle-orm";
import { tracks } from "../db/schema/index.ts";
import type { Viewer } from "./visibility.ts";

// SQL forms of the rules in visibility.ts, for filtering lists inside D1.
// visibility-sql.test.ts checks them against those functions for every combination.

const always = sql`1 = 1`;

/** `isListable`: public and ready. */
export const listableSql: SQL = and(eq(tracks.visibility, "public"), eq(tracks.status, "ready"))!;

/** `canViewTrack`: what the viewer may open by id (their own lists: likes, history). */
export function viewableSql(viewer: Viewer): SQL {
  const byLink = and(ne(tracks.visibility, "private"), eq(tracks.status, "ready"))!;
  if (!viewer) return byLink;
  if (viewer.role === "admin") return always;
  return or(eq(tracks.ownerId, viewer.id), byLink)!;
}

/** `isListable || canEditTrack`: what may show in a list someone else curated (playlists, albums). */
export function listableForSql(viewer: Viewer): SQL {
  if (!viewer) return listableSql;
  if (viewer.role === "admin") return always;
  return or(eq(tracks.ownerId, viewer.id), listableSql)!;
}
