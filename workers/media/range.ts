/**
 * RFC 9110 §14 byte ranges, as a pure function. One range is served as 206; several ranges are
 * answered with the whole representation (200), which §14.2 allows; a header that does not parse
 * is ignored (200), as §14.2 requires of an invalid ranges-specifier.
 */

/** A single range as written, before the size is known. */
export type RangeSpec =
  | { kind: "bounded"; start: number; end: number }
  | { kind: "from"; start: number }
  | { kind: "suffix"; length: number };

export type RangeSyntax = { kind: "none" } | { kind: "multi" } | RangeSpec;

/** What to send: the whole object, bytes start..end (inclusive), or 416. */
export type RangeDecision =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

const RANGE_SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

function parseSpec(text: string): RangeSpec | undefined {
  const match = RANGE_SPEC.exec(text.trim());
  if (!match) return undefined;
  const [, first, last, suffix] = match;
  if (suffix !== undefined) return { kind: "suffix", length: Number(suffix) };
  const start = Number(first);
  if (last === "" || last === undefined) return { kind: "from", start };
  const end = Number(last);
  return end < start ? undefined : { kind: "bounded", start, end };
}

/** The syntax of a Range header: no usable range, several ranges, or exactly one. */
export function parseRangeSyntax(header: string | null | undefined): RangeSyntax {
  if (!header) return { kind: "none" };
  const eq = header.indexOf("=");
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== "bytes") return { kind: "none" };
  const parts = header
    .slice(eq + 1)
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  if (parts.length === 0) return { kind: "none" };
  const specs = parts.map(parseSpec);
  if (specs.some((spec) => spec === undefined)) return { kind: "none" };
  return specs.length === 1 ? specs[0]! : { kind: "multi" };
}

/** Resolves one range against an object of `size` bytes. */
export function resolveRange(spec: RangeSyntax, size: number): RangeDecision {
  switch (spec.kind) {
    case "none":
    case "multi":
      return { kind: "full" };
    case "suffix":
      if (spec.length === 0 || size === 0) return { kind: "unsatisfiable" };
      return { kind: "partial", start: Math.max(0, size - spec.length), end: size - 1 };
    case "from":
    case "bounded": {
      if (spec.start >= size) return { kind: "unsatisfiable" };
      const end = spec.kind === "bounded" ? Math.min(spec.end, size - 1) : size - 1;
      return { kind: "partial", start: spec.start, end };
    }
  }
}

/** `Range` header + object size → what to serve. Never throws. */
export function parseRange(header: string | null | undefined, size: number): RangeDecision {
  return resolveRange(parseRangeSyntax(header), size);
}

/** The canonical header text of one spec (for asking R2 or the cache for exactly that range). */
export function formatRangeSpec(spec: RangeSpec): string {
  switch (spec.kind) {
    case "bounded":
      return `bytes=${spec.start}-${spec.end}`;
    case "from":
      return `bytes=${spec.start}-`;
    case "suffix":
      return `bytes=-${spec.length}`;
  }
}
