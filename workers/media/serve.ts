import { ApiError, notFound } from "../shared/errors.ts";
import { ifRangeAllows, noneMatchHits } from "./conditional.ts";
import { parseRangeSyntax, type RangeDecision, type RangeSyntax, resolveRange } from "./range.ts";

/**
 * Serving an object with RFC 9110 semantics (ranges, validators, HEAD) from whatever holds it — R2
 * here, the edge cache in cache.ts — in as few reads as possible: the common request is answered
 * by one ranged read, because the single range is asked for before the size is known.
 */

export type ServeOptions = {
  /** Overrides the type stored with the object. */
  contentType?: string;
  cacheControl: string;
  /** Extra response headers (e.g. a cache status). */
  headers?: Record<string, string>;
};

export type ObjectMeta = { size: number; etag: string; lastModified: string; contentType: string | undefined };

export type Plan = RangeDecision | { kind: "not-modified" };

/** What to answer for `request` given the object's validators and size. */
export function planResponse(request: Request, spec: RangeSyntax, meta: ObjectMeta): Plan {
  if (noneMatchHits(request.headers.get("if-none-match"), meta.etag)) return { kind: "not-modified" };
  if (!ifRangeAllows(request.headers.get("if-range"), meta.etag, meta.lastModified)) return { kind: "full" };
  return resolveRange(spec, meta.size);
}

/** The range a single-range read asks for, or undefined for a whole-object read. */
export function rangeToFetch(spec: RangeSyntax): R2Range | undefined {
  switch (spec.kind) {
    case "bounded":
      return { offset: spec.start, length: spec.end - spec.start + 1 };
    case "from":
      return { offset: spec.start };
    case "suffix":
      return spec.length > 0 ? { suffix: spec.length } : undefined;
    default:
      return undefined;
  }
}

export function sameSlice(a: RangeDecision, b: Plan): boolean {
  if (a.kind === "partial" && b.kind === "partial") return a.start === b.start && a.end === b.end;
  return a.kind === "full" && b.kind === "full";
}

/** Builds the final response; `body` must already hold exactly the planned bytes (or be null for HEAD). */
export function respond(plan: Plan, meta: ObjectMeta, body: ReadableStream | null, options: ServeOptions): Response {
  const headers = new Headers(options.headers);
  headers.set("accept-ranges", "bytes");
  headers.set("etag", meta.etag);
  headers.set("last-modified", meta.lastModified);
  headers.set("cache-control", options.cacheControl);
  if (plan.kind === "not-modified") return new Response(null, { status: 304, headers });
  if (plan.kind === "unsatisfiable") {
    throw new ApiError(
      416,
      "range_not_satisfiable",
      `The requested range is outside the ${meta.size} bytes of this file.`,
      { size: meta.size },
      { "Content-Range": `bytes */${meta.size}`, "Accept-Ranges": "bytes" },
    );
  }
  headers.set("content-type", options.contentType ?? meta.contentType ?? "application/octet-stream");
  if (plan.kind === "partial") {
    headers.set("content-range", `bytes ${plan.start}-${plan.end}/${meta.size}`);
    headers.set("content-length", String(plan.end - plan.start + 1));
    return new Response(body, { status: 206, headers });
  }
  headers.set("content-length", String(meta.size));
  return new Response(body, { status: 200, headers });
}

function metaOf(object: R2Object): ObjectMeta {
  return {
    size: object.size,
    etag: object.httpEtag,
    lastModified: object.uploaded.toUTCString(),
    contentType: object.httpMetadata?.contentType,
  };
}

async function getOrHead(bucket: R2Bucket, key: string, range: R2Range | undefined): Promise<R2Object | null> {
  try {
    return await bucket.get(key, range ? { range } : {});
  } catch {
    // R2 refuses a range that starts past the end; the size from head() turns that into a 416.
    return bucket.head(key);
  }
}

/** GET or HEAD of `key` from R2. */
export async function serveObject(bucket: R2Bucket, key: string, request: Request, options: ServeOptions) {
  const spec = parseRangeSyntax(request.headers.get("range"));
  const range = rangeToFetch(spec);
  const isHead = request.method === "HEAD";
  const object = isHead ? await bucket.head(key) : await getOrHead(bucket, key, range);
  if (!object) throw notFound("Media file");
  const meta = metaOf(object);
  const plan = planResponse(request, spec, meta);
  let body = "body" in object ? (object as R2ObjectBody).body : null;
  if (isHead || plan.kind === "not-modified" || plan.kind === "unsatisfiable") {
    await body?.cancel();
    return respond(plan, meta, null, options);
  }
  const holds: RangeDecision = body
    ? range
      ? resolveRange(spec, meta.size)
      : { kind: "full" }
    : { kind: "unsatisfiable" };
  if (!sameSlice(holds, plan)) {
    // If-Range failed (we hold a slice but owe the whole object), or the first read came back empty.
    await body?.cancel();
    const exact = plan.kind === "partial" ? { range: { offset: plan.start, length: plan.end - plan.start + 1 } } : {};
    const again = await bucket.get(key, exact);
    if (!again) throw notFound("Media file");
    body = again.body;
  }
  return respond(plan, meta, body, options);
}

/** Size and validators of a cached response (200, 206 or 416), read from its headers. */
export function metaOfCached(response: Response): ObjectMeta | undefined {
  const etag = response.headers.get("etag");
  const lastModified = response.headers.get("last-modified") ?? "";
  const contentRange = response.headers.get("content-range");
  const total = contentRange ? /\/(\d+)$/.exec(contentRange)?.[1] : response.headers.get("content-length");
  if (!etag || total === undefined || total === null) return undefined;
  return { size: Number(total), etag, lastModified, contentType: response.headers.get("content-type") ?? undefined };
}

/** What a cached response's body holds. */
export function sliceOfCached(response: Response): RangeDecision {
  if (response.status === 200) return { kind: "full" };
  const match = /^bytes (\d+)-(\d+)\//.exec(response.headers.get("content-range") ?? "");
  if (response.status === 206 && match) return { kind: "partial", start: Number(match[1]), end: Number(match[2]) };
  return { kind: "unsatisfiable" };
}
