import type { Env } from "../env.ts";
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
 * under a key derived from the R2 key, not the signed URL, so every listener's URL shares one entry;
 * it is only consulted after the signature was checked. cache.match answers the range itself.
 */
const EDGE_TTL_SECONDS = 86_400;
const filling = new Set<string>();

export function cacheKeyFor(requestUrl: string, key: string): string {
  return new URL(`/__media-cache/${key}`, requestUrl).toString();
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

export async function evictCached(requestUrl: string, key: string): Promise<void> {
  await caches.default.delete(cacheKeyFor(requestUrl, key));
}

export async function serveCached(
  env: Pick<Env, "MEDIA">,
  ctx: Pick<ExecutionContext, "waitUntil">,
  key: string,
  request: Request,
  options: ServeOptions,
): Promise<Response> {
  const cacheKey = cacheKeyFor(request.url, key);
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
