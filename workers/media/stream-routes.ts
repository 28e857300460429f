import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn } from "../auth/route-presets.ts";
import { viewableTrack } from "../catalog/access.ts";
import type { TrackRow } from "../catalog/tracks.ts";
import { isListable } from "../catalog/visibility.ts";
import { ApiError, conflict } from "../shared/errors.ts";
import { createRouter, endpoint, errorResponse, IdParams, jsonResponse } from "../shared/openapi.ts";
import { renditionKey } from "./keys.ts";
import { pickQuality, QUALITIES, streamSources } from "./renditions.ts";
import { signMediaUrl } from "./signed-urls.ts";
import { getTrackOutputs } from "./transcode-outputs.ts";

/** Long enough to play (and seek in) a long track; the player asks again when a URL has expired. */
export const STREAM_URL_TTL_SECONDS = 2 * 3600;

const SignedUrl = z.object({ url: z.string(), expiresAt: z.string(), mimeType: z.string() });
const StreamUrl = SignedUrl.extend({
  quality: z.enum(QUALITIES),
  /** Gain to the -14 LUFS target from the track's measured loudness, for volume normalisation; null until measured. */
  gainDb: z.number().nullable(),
}).openapi("StreamUrl");
const Waveform = z.object({ peaks: z.array(z.number()), durationMs: z.number() }).openapi("Waveform");
const trackErrors = {
  404: errorResponse("No such track, one you may not hear, or nothing produced for it"),
  409: errorResponse("Not ready yet (still uploading or processing)"),
};

const stream = createRoute({
  ...endpoint("get", "/tracks/{id}/stream", "streaming"),
  summary: "A short-lived signed URL an <audio> element can play (ranges supported)",
  request: { params: IdParams, query: z.object({ quality: z.enum(QUALITIES).optional() }) },
  ...maybeSignedIn({
    200: jsonResponse(StreamUrl, "Signed stream URL"),
    403: errorResponse("quality=original: only the owner and admins, unless the artist enables downloads"),
    ...trackErrors,
  }),
});

const hls = createRoute({
  ...endpoint("get", "/tracks/{id}/hls", "streaming"),
  summary: "A signed URL of the HLS master playlist (renditions addressed by relative URI)",
  request: { params: IdParams },
  ...maybeSignedIn({ 200: jsonResponse(SignedUrl, "Signed master playlist URL"), ...trackErrors }),
});

const waveform = createRoute({
  ...endpoint("get", "/tracks/{id}/waveform", "streaming"),
  request: { params: IdParams },
  ...maybeSignedIn({ 200: jsonResponse(Waveform, "Peaks (0..1) and duration"), ...trackErrors }),
});

/** 409 while the pipeline may still produce the file, 404 once it is settled without it. */
function notProduced(track: TrackRow, what: string): ApiError {
  if (track.status === "uploading" || track.status === "processing") {
    return conflict("not_ready", `The track is still ${track.status}; its ${what} is not ready yet.`);
  }
  return new ApiError(404, "not_found", `This track has no ${what}.`);
}

export const streamRoutes = createRouter()
  .openapi(stream, async (c) => {
    const viewer = c.var.viewer;
    const { track, owner } = await viewableTrack(c.var.db, c.req.valid("param").id, viewer);
    const asked = c.req.valid("query").quality;
    const { byQuality, outputs, originalWithheld } = await streamSources(c.env, track, viewer);
    if (asked === "original" && originalWithheld) {
      throw new ApiError(403, "download_not_offered", "The artist does not offer this track's original for download.");
    }
    const quality = pickQuality(asked, byQuality);
    if (!quality) {
      const settled = byQuality.size > 0 || (track.status !== "uploading" && track.status !== "processing");
      if (asked && settled) {
        throw new ApiError(404, "quality_unavailable", `This track has no ${asked} quality.`, {
          available: [...byQuality.keys()],
        });
      }
      throw notProduced(track, "audio");
    }
    const playable = byQuality.get(quality)!;
    const signed = await signMediaUrl(c.env, {
      trackId: track.id,
      scope: playable.file,
      ttlSeconds: STREAM_URL_TTL_SECONDS,
      public: quality !== "original" && isListable(track, owner),
      version: track.mediaVersion,
    });
    const gainDb = outputs?.gainDb ?? null;
    return c.json({ url: signed.url, expiresAt: signed.expiresAt, mimeType: playable.mimeType, quality, gainDb }, 200);
  })
  .openapi(hls, async (c) => {
    const { track, owner } = await viewableTrack(c.var.db, c.req.valid("param").id, c.var.viewer);
    const outputs = await getTrackOutputs(c.var.db, track.id);
    if (!outputs) throw notProduced(track, "HLS playlist");
    const signed = await signMediaUrl(c.env, {
      trackId: track.id,
      scope: "renditions",
      file: outputs.hlsMaster,
      ttlSeconds: STREAM_URL_TTL_SECONDS,
      public: isListable(track, owner),
      version: track.mediaVersion,
    });
    return c.json({ url: signed.url, expiresAt: signed.expiresAt, mimeType: "application/vnd.apple.mpegurl" }, 200);
  })
  .openapi(waveform, async (c) => {
    const { track } = await viewableTrack(c.var.db, c.req.valid("param").id, c.var.viewer);
    const outputs = await getTrackOutputs(c.var.db, track.id);
    const object = outputs && (await c.env.MEDIA.get(renditionKey(track.id, outputs.waveformFile)));
    const parsed = object ? Waveform.safeParse(await object.json().catch(() => undefined)) : undefined;
    if (!parsed?.success) throw notProduced(track, "waveform");
    return c.json(parsed.data, 200);
  });
