import type { Env } from "../env.ts";
import { originalKey, renditionsPrefix } from "./keys.ts";
import type { Playable, Quality, StreamSources } from "./renditions.ts";
import { serveObject } from "./serve.ts";

/** Serving a track's audio directly from a route that already decided the caller may hear it (Subsonic stream/download). */

export function objectKeyOf(trackId: string, playable: Playable): string {
  return playable.file.startsWith("original") ? originalKey(trackId) : renditionsPrefix(trackId) + playable.file;
}

/**
 * The rendition nearest to a bitrate cap: the best one at or under `maxKbps` (0 or undefined: no
 * cap), else the smallest there is. Undefined when the track has no renditions.
 */
export function nearestRendition(sources: StreamSources, maxKbps: number | undefined) {
  const renditions = [...(sources.outputs?.renditions ?? [])].sort((a, b) => b.bitrateKbps - a.bitrateKbps);
  const chosen = (maxKbps ? renditions.find((r) => r.bitrateKbps <= maxKbps) : renditions[0]) ?? renditions.at(-1);
  if (!chosen) return undefined;
  const playable = sources.byQuality.get(chosen.quality as Quality);
  return playable ? { quality: chosen.quality, bitrateKbps: chosen.bitrateKbps, playable } : undefined;
}

/** GET or HEAD (with ranges) of one of the track's files, read from R2. */
export function serveTrackFile(
  env: Env,
  request: Request,
  trackId: string,
  playable: Playable,
  options: { public: boolean; downloadName?: string },
): Promise<Response> {
  const key = objectKeyOf(trackId, playable);
  const serveOptions = {
    contentType: playable.mimeType,
    cacheControl: options.public ? "public, max-age=3600" : "private, max-age=3600",
    headers: options.downloadName
      ? { "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(options.downloadName)}` }
      : undefined,
  };
  return serveObject(env.MEDIA, key, request, serveOptions);
}
