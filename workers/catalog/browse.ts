import { avatarUrl } from "../auth/users.ts";
import type { Db } from "../db/client.ts";
import { decodeOffsetCursor, encodeOffsetCursor } from "../shared/cursor.ts";
import type { Page, PageRequest } from "../shared/keyset.ts";
import { listArtists, listGenres } from "./library.ts";
import type { UserSummary } from "./profiles.ts";
import type { Viewer } from "./visibility.ts";

export type GenreSummary = { name: string; trackCount: number };
export type ArtistSummary = UserSummary & { trackCount: number };

/** Every genre of a track the viewer may list, by name (genres are few: one page). */
export async function genreIndex(db: Db, viewer: Viewer): Promise<Page<GenreSummary>> {
  const genres = await listGenres(db, viewer);
  return { items: genres.map((g) => ({ name: g.name, trackCount: g.songCount })), nextCursor: null };
}

/** Accounts with at least one track the viewer may list, by display name; offset-paged. */
export async function artistIndex(db: Db, viewer: Viewer, page: PageRequest): Promise<Page<ArtistSummary>> {
  const offset = decodeOffsetCursor(page.cursor, 1_000_000);
  const rows = await listArtists(db, viewer, { limit: page.limit + 1, offset });
  const items = rows.slice(0, page.limit).map((a) => ({
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    avatarUrl: avatarUrl(a),
    trackCount: a.songCount,
  }));
  return { items, nextCursor: rows.length > page.limit ? encodeOffsetCursor(offset + page.limit) : null };
}
