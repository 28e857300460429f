import { and, eq } from "drizzle-orm";
import { RENDITION_QUALITIES } from "../../transcoder/contract.ts";
import { getDb } from "../db/client.ts";
import { uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { originalFileName } from "./signed-urls.ts";
import { type AudioType, audioTypeByMime } from "./sniff.ts";
import { getTrackOutputs, type TrackOutputsRow } from "./transcode-outputs.ts";

/** The transcoder's renditions, and the original as uploaded. */
export const QUALITIES = [...RENDITION_QUALITIES, "original"] as const;
export type Quality = (typeof QUALITIES)[number];
/** Best first: a rendition streams better than the original (smaller, plays everywhere). */
const PREFERENCE: Quality[] = ["high", "medium", "low", "original"];

export type Playable = { file: string; mimeType: string };

/** Everything a track can be streamed as: its renditions (once transcoded) and its completed original. */
export type StreamSources = {
  outputs: TrackOutputsRow | undefined;
  original: AudioType | undefined;
  byQuality: Map<Quality, Playable>;
};

export async function streamSources(env: Pick<Env, "DB">, trackId: string): Promise<StreamSources> {
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
  if (original) byQuality.set("original", { file: originalFileName(original.ext), mimeType: original.mime });
  return { outputs, original, byQuality };
}

/** The quality asked for (undefined when it does not exist), or without a preference the best there is. */
export function pickQuality(asked: Quality | undefined, available: Map<Quality, Playable>): Quality | undefined {
  if (asked) return available.has(asked) ? asked : undefined;
  return PREFERENCE.find((q) => available.has(q));
}
