import { and, eq } from "drizzle-orm";
import { RENDITION_QUALITIES } from "../../transcoder/contract.ts";
import { canEditTrack, type Viewer } from "../catalog/visibility.ts";
import { getDb } from "../db/client.ts";
import type { TrackStatus } from "../db/schema/index.ts";
import { uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { originalFileName, renditionFileType } from "./signed-urls.ts";
import { audioTypeByMime } from "./sniff.ts";
import { getTrackOutputs, type TrackOutputsRow } from "./transcode-outputs.ts";

/** The transcoder's renditions, and the original as uploaded. */
export const QUALITIES = [...RENDITION_QUALITIES, "original"] as const;
export type Quality = (typeof QUALITIES)[number];
/** Best first: a rendition streams better than the original (smaller, plays everywhere). */
const PREFERENCE: Quality[] = ["high", "medium", "low", "original"];

export type Playable = { file: string; mimeType: string };

/**
 * Everything a track can be streamed as for this viewer: its renditions (once transcoded) and, once
 * the track is ready, `original`: the uploaded file byte for byte for its owner and admins; for
 * anyone else only when the artist enables downloads, and then the copy with the metadata stripped.
 */
export type StreamSources = {
  outputs: TrackOutputsRow | undefined;
  byQuality: Map<Quality, Playable>;
  /** The track is ready with an original, but this viewer may not have it. */
  originalWithheld: boolean;
};

type StreamedTrack = { id: string; ownerId: string; status: TrackStatus; downloadable: boolean };

export async function streamSources(
  env: Pick<Env, "DB">,
  track: StreamedTrack,
  viewer: Viewer,
): Promise<StreamSources> {
  const trackId = track.id;
  const db = getDb(env.DB);
  const [outputs, upload] = await Promise.all([
    getTrackOutputs(db, trackId),
    db
      .select({ mimeType: uploads.mimeType })
      .from(uploads)
      .where(and(eq(uploads.trackId, trackId), eq(uploads.status, "completed")))
      .get(),
  ]);
  const original = audioTypeByMime(upload?.mimeType);
  const byQuality = new Map<Quality, Playable>();
  for (const rendition of outputs?.renditions ?? []) {
    byQuality.set(rendition.quality, { file: rendition.file, mimeType: rendition.mimeType });
  }
  let originalWithheld = false;
  if (original && track.status === "ready") {
    if (canEditTrack(track, viewer)) {
      byQuality.set("original", { file: originalFileName(original.ext), mimeType: original.mime });
    } else if (track.downloadable && outputs?.downloadFile) {
      byQuality.set("original", { file: outputs.downloadFile, mimeType: renditionFileType(outputs.downloadFile) });
    } else originalWithheld = true;
  }
  return { outputs, byQuality, originalWithheld };
}

/** The quality asked for (undefined when it does not exist), or without a preference the best there is. */
export function pickQuality(asked: Quality | undefined, available: Map<Quality, Playable>): Quality | undefined {
  if (asked) return available.has(asked) ? asked : undefined;
  return PREFERENCE.find((q) => available.has(q));
}
