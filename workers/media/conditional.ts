/** RFC 9110 §13 validators, as pure functions over header strings. */

const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, "");

/** If-None-Match (weak comparison): true when the client's copy is current (→ 304). */
export function noneMatchHits(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === "*") return true;
  const ours = opaqueTag(etag);
  return header.split(",").some((tag) => opaqueTag(tag) === ours);
}

/**
 * If-Range: the Range applies only when the validator still matches — an entity tag by strong
 * comparison (a weak tag never matches), or a date equal to Last-Modified. Absent means it applies.
 */
export function ifRangeAllows(header: string | null, etag: string, lastModified: string): boolean {
  if (header === null) return true;
  const value = header.trim();
  if (value.startsWith("W/")) return false;
  if (value.startsWith('"')) return value === etag;
  return value === lastModified;
}
