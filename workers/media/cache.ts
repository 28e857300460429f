import type { Env } from "../env.ts";
import { renditionsPrefix } from "./keys.ts";
import { formatRangeSpec, parseRangeSyntax } from "./range.ts";
import {
  metaOfCached,
  planResponse,
  rangeToFetch,
  respond,
  type ServeOptions,
  sameSlice,
  serveObject,
  sliceOfCached,
} from "./serve.ts";

/**
 * Public renditions through the Cache API. The cache holds the full 200 (cache.put refuses a 206)
 * under a key derived from the R2 key and the track's media version, not the signed URL, so every
 * listener's URL of one version shares one entry; it is only consulted after the signature was
 * checked. cache.match answers the range itself. When a track stops being public or is deleted its
 * version moves on and this data center's entries of the old version are evicted: URLs signed
 * before then no longer find them (other data centers' copies are unreachable for new URLs and
 * age out with the old URLs, which expire within STREAM_URL_TTL_SECONDS).
 */
const EDGE_TTL_SECONDS = 86_400;
const filling = new Set<string>();

export function cacheKeyFor(env: Pick<Env, "PUBLIC_BASE_URL">, key: string, version: number): string {
  return new URL(`/__media-cache/v${version}/${key}`, env.PUBLIC_BASE_URL).toString();
}

async function fill(env: Pick<Env, "MEDIA">, cacheKey: string, key: string, contentType: string | undefined) {
  if (filling.has(cacheKey)) return;
  filling.add(cacheKey);
  try {
    const object = await env.MEDIA.get(key);
    if (!object) return;
    const headers = new Headers({
      "content-type": contentType ?? object.httpMetadata?.contentType ?? "application/octet-stream",
      "content-length": String(object.size),
      etag: object.httpEtag,
      "last-modified": object.uploaded.toUTCString(),
      "cache-control": `public, max-age=${EDGE_TTL_SECONDS}`,
    });
    await caches.default.put(cacheKey, new Response(object.body, { headers }));
  } finally {
    filling.delete(cacheKey);
  }
}

export async function evictCached(env: Pick<Env, "PUBLIC_BASE_URL">, key: string, version: number): Promise<void> {
  await caches.default.delete(cacheKeyFor(env, key, version));
}

/**
 * Evicts this data center's cached copies of a track's public files at `version` (its renditions).
 * Cross-domain entry for visibility changes and track deletion.
 */
export async function evictTrackCache(
  env: Pick<Env, "MEDIA" | "PUBLIC_BASE_URL">,
  trackId: string,
  version: number,
): Promise<void> {
  const listing = await env.MEDIA.list({ prefix: renditionsPrefix(trackId), limit: 1000 });
  await Promise.all(listing.objects.map((object) => evictCached(env, object.key, version)));
}

export async function serveCached(
  env: Pick<Env, "MEDIA" | "PUBLIC_BASE_URL">,
  ctx: Pick<ExecutionContext, "waitUntil">,
  key: string,
  version: number,
  request: Request,
  options: ServeOptions,
): Promise<Response> {
  const cacheKey = cacheKeyFor(env, key, version);
  const spec = parseRangeSyntax(request.headers.get("range"));
  const ask = (range: string | undefined) =>
    caches.default.match(new Request(cacheKey, { headers: range ? { range } : {} }));
  const single = rangeToFetch(spec) && spec.kind !== "none" && spec.kind !== "multi" ? spec : undefined;
  const hit = await ask(single && formatRangeSpec(single));
  const meta = hit && metaOfCached(hit);
  if (!hit || !meta) {
    await hit?.body?.cancel();
    if (request.method === "GET") ctx.waitUntil(fill(env, cacheKey, key, options.contentType));
    return serveObject(env.MEDIA, key, request, {
      ...options,
      headers: { ...options.headers, "x-media-cache": "miss" },
    });
  }
  const hitOptions = { ...options, headers: { ...options.headers, "x-media-cache": "hit" } };
  const plan = planResponse(request, spec, meta);
  if (request.method === "HEAD" || plan.kind === "not-modified" || plan.kind === "unsatisfiable") {
    await hit.body?.cancel();
    return respond(plan, meta, null, hitOptions);
  }
  if (sameSlice(sliceOfCached(hit), plan)) return respond(plan, meta, hit.body, hitOptions);
  await hit.body?.cancel();
  const exact = await ask(plan.kind === "partial" ? `bytes=${plan.start}-${plan.end}` : undefined);
  if (!exact || !sameSlice(sliceOfCached(exact), plan)) {
    await exact?.body?.cancel();
    return serveObject(env.MEDIA, key, request, options);
  }
  return respond(plan, meta, exact.body, hitOptions);
}
