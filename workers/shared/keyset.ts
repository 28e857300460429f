import { and, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { type CursorKey, decodeCursor, pageFrom } from "./cursor.ts";

/** What a client asks of a list: where to continue (an opaque cursor) and how many items. */
export type PageRequest = { cursor?: string; limit: number };
/** The list envelope every list route returns. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Rows strictly after `cursor` in an order of (key desc, id desc); `asc` flips both. */
export function afterCursor(
  key: SQLiteColumn,
  id: SQLiteColumn,
  cursor: CursorKey | undefined,
  direction: "desc" | "asc" = "desc",
): SQL | undefined {
  if (!cursor) return undefined;
  const beyond = direction === "desc" ? lt : gt;
  return or(beyond(key, cursor.k), and(eq(key, cursor.k), beyond(id, cursor.id)));
}

/**
 * One page of a keyset-paginated list. `fetch` gets the decoded cursor (undefined on the first
 * page) and how many rows to take: one more than asked, which says whether there is a next page.
 * It must order by the same (key, id) that `keyOf` reads, with `afterCursor` in its WHERE.
 */
export async function keysetPage<R>(
  page: PageRequest,
  fetch: (after: CursorKey | undefined, take: number) => Promise<R[]>,
  keyOf: (row: R) => CursorKey,
): Promise<Page<R>> {
  return pageFrom(await fetch(decodeCursor(page.cursor), page.limit + 1), page.limit, keyOf);
}

/** The same page with its rows shaped for the response (all at once, for batched lookups). */
export async function shapePage<R, T>(page: Page<R>, shape: (rows: R[]) => T[] | Promise<T[]>): Promise<Page<T>> {
  return { items: await shape(page.items), nextCursor: page.nextCursor };
}
