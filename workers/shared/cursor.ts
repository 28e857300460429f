import { decodeJsonBase64url, encodeJsonBase64url } from "./crypto.ts";
import { ApiError } from "./errors.ts";

/**
 * Opaque keyset cursors: the sort key of the last item served, base64url JSON. Lists order by
 * (key desc, id desc), so rows inserted between pages never repeat or skip an item.
 */
export type CursorKey = { k: number | string; id: string };

export function encodeCursor(key: CursorKey): string {
  return encodeJsonBase64url(key);
}

const invalidCursor = () => new ApiError(400, "invalid_cursor", "The cursor is not valid; start again without it.");

/**
 * Every cursor a client sends back is decoded here. Keys are integers (times, positions, counts,
 * offsets) or short strings; a fraction, ±Infinity (`1e999` in JSON) or anything else is a 400.
 */
export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = decodeJsonBase64url(cursor);
  } catch {
    throw invalidCursor();
  }
  if (!isCursorKey(parsed)) throw invalidCursor();
  return { k: parsed.k, id: parsed.id };
}

function isCursorKey(value: unknown): value is CursorKey {
  if (typeof value !== "object" || value === null) return false;
  const { k, id } = value as Record<string, unknown>;
  const validKey = Number.isSafeInteger(k) || (typeof k === "string" && k.length <= 200);
  return validKey && typeof id === "string" && id.length > 0 && id.length <= 100;
}

const OFFSET_ID = "offset";

/** For ranked lists with no stable key (search): the cursor carries an offset into the ranking. */
export function encodeOffsetCursor(offset: number): string {
  return encodeCursor({ k: offset, id: OFFSET_ID });
}

/** The offset in an offset cursor (0 without one); a 400 unless it is an integer in [0, max]. */
export function decodeOffsetCursor(cursor: string | undefined, max: number): number {
  const key = decodeCursor(cursor);
  if (!key) return 0;
  if (key.id !== OFFSET_ID || typeof key.k !== "number" || key.k < 0 || key.k > max) throw invalidCursor();
  return key.k;
}

/** Given `limit + 1` rows, the page to return and the cursor for the next one. */
export function pageFrom<T>(rows: T[], limit: number, keyOf: (row: T) => CursorKey) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
