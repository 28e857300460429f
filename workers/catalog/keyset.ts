import { and, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { CursorKey } from "../shared/cursor.ts";

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
