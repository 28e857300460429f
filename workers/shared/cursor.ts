import { decodeJsonBase64url, encodeJsonBase64url } from "./crypto.ts";
import { badRequest } from "./errors.ts";

/**
 * Opaque keyset cursors: the sort key of the last item served, base64url JSON. Lists order by
 * (key desc, id desc), so rows inserted between pages never repeat or skip an item.
 */
export type CursorKey = { k: number | string; id: string };

export function encodeCursor(key: CursorKey): string {
  return encodeJsonBase64url(key);
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = decodeJsonBase64url(cursor) as CursorKey;
    if (parsed && (typeof parsed.k === "number" || typeof parsed.k === "string") && typeof parsed.id === "string") {
      return parsed as CursorKey;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest("The cursor is not valid; start again without it.");
}

/** Given `limit + 1` rows, the page to return and the cursor for the next one. */
export function pageFrom<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
