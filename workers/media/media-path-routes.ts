import { createRoute, z } from "@hono/zod-openapi";
import { getTrackRow } from "../catalog/tracks.ts";
import { getDb } from "../db/client.ts";
import { ApiError } from "../shared/errors.ts";
import { createRouter, errorResponse, jsonResponse } from "../shared/openapi.ts";
import { evictCached, serveCached } from "./cache.ts";
import { serveObject } from "./serve.ts";
import { MEDIA_PREFIX, verifyMediaPath } from "./signed-urls.ts";
import { maxUploadBytes } from "./uploads.ts";

/** The signed media path: GET/HEAD with ranges (no D1 read: the signature is the authorisation), PUT for the transcoder. */

const MediaParams = z.object({
  trackId: z.string(),
  scope: z.string(),
  expires: z.string(),
  flags: z.string(),
  signature: z.string(),
  file: z.string(),
});
const path = "/media/{trackId}/{scope}/{expires}/{flags}/{signature}/{file}";
const binary = (description: string) => ({
  content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
  description,
});
const mediaErrors = {
  403: errorResponse("The signature is invalid, expired, or does not cover this file or method"),
  404: errorResponse("No such file"),
};

const getMedia = createRoute({
  method: "get",
  path,
  tags: ["media"],
  summary: "Serve a file by signed URL (also HEAD), with Range, If-Range and If-None-Match",
  request: { params: MediaParams },
  responses: {
    200: binary("The whole file"),
    206: binary("The requested range"),
    304: { description: "Not modified" },
    416: errorResponse("The range lies outside the file; Content-Range: bytes */size"),
    ...mediaErrors,
  },
});

const putMedia = createRoute({
  method: "put",
  path,
  tags: ["media"],
  summary: "Store a rendition output through a PUT-signed URL (transcoder)",
  request: {
    params: MediaParams,
    body: { content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } },
  },
  responses: {
    201: jsonResponse(z.object({ file: z.string(), size: z.number().int(), etag: z.string() }), "Stored"),
    409: errorResponse("The track is not being processed"),
    410: errorResponse("The track was deleted"),
    411: errorResponse("Content-Length is required"),
    413: errorResponse("Larger than the upload limit"),
    ...mediaErrors,
  },
});

const restOf = (pathname: string) => pathname.slice(MEDIA_PREFIX.length + 1);

export const mediaPathRoutes = createRouter()
  .openapi(getMedia, async (c) => {
    const media = await verifyMediaPath(c.env, restOf(new URL(c.req.url).pathname), c.req.method);
    const options = {
      contentType: media.contentType,
      cacheControl: media.public ? "public, max-age=3600" : "private, max-age=3600",
    };
    if (media.public) return serveCached(c.env, c.executionCtx, media.key, media.version, c.req.raw, options);
    return serveObject(c.env.MEDIA, media.key, c.req.raw, options);
  })
  .openapi(putMedia, async (c) => {
    const media = await verifyMediaPath(c.env, restOf(new URL(c.req.url).pathname), "PUT");
    // Only the transcoder writes, and only while the track is being processed: a track deleted
    // (or settled) meanwhile must not gain files that no row points to.
    const track = await getTrackRow(getDb(c.env.DB), media.trackId);
    if (!track) throw new ApiError(410, "track_deleted", "This track was deleted; its outputs are not wanted.");
    if (track.status !== "processing") {
      throw new ApiError(409, "track_not_processing", `This track is ${track.status}; it takes no new outputs.`);
    }
    const length = c.req.header("content-length");
    if (length === undefined || !/^\d+$/.test(length)) {
      throw new ApiError(411, "length_required", "Send the file with a Content-Length header.");
    }
    const max = maxUploadBytes(c.env);
    if (Number(length) > max) throw new ApiError(413, "file_too_large", `Files are limited to ${max} bytes.`);
    const stored = await c.env.MEDIA.put(media.key, c.req.raw.body ?? new Uint8Array(0), {
      httpMetadata: { contentType: media.contentType },
    });
    await evictCached(c.env, media.key, track.mediaVersion);
    return c.json({ file: media.file, size: stored.size, etag: stored.httpEtag }, 201);
  });
