import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type Rendition, trackOutputs, tracks } from "../db/schema/index.ts";
import type { TranscodeResult } from "./transcoder-client.ts";

type TrackFields = { id: string; title: string; artist: string; genre: string };
/** The title the upload flow gave when the uploader left it empty (the file name without extension). */
type Defaults = { title?: string };

export type TrackOutputsRow = typeof trackOutputs.$inferSelect;

/** Records what the transcoder produced (an overwrite, so a rerun is harmless) and fills empty metadata from tags. */
export async function recordTranscodeOutputs(
  db: Db,
  track: TrackFields,
  result: TranscodeResult,
  defaults: Defaults = {},
): Promise<void> {
  const values = {
    trackId: track.id,
    renditions: result.renditions satisfies Rendition[],
    hlsMaster: result.hls.master,
    waveformFile: result.waveform.file,
    downloadFile: result.download?.file ?? null,
    integratedLufs: result.loudness.integratedLufs,
    truePeakDbtp: result.loudness.truePeakDbtp,
    loudnessRange: result.loudness.lra,
    gainDb: result.loudness.gainDb,
    sourceFormat: result.source.format,
    sourceCodec: result.source.codec,
    sourceSampleRate: result.source.sampleRate,
    sourceChannels: result.source.channels,
    sourceBitrateKbps: result.source.bitrateKbps === null ? null : Math.round(result.source.bitrateKbps),
    tags: result.tags,
    completedAt: Date.now(),
  };
  const filled = fillFromTags(track, result.tags, defaults);
  await db.batch([
    db.insert(trackOutputs).values(values).onConflictDoUpdate({ target: trackOutputs.trackId, set: values }),
    ...(Object.keys(filled).length > 0
      ? [
          db
            .update(tracks)
            .set({ ...filled, updatedAt: Date.now() })
            .where(eq(tracks.id, track.id)),
        ]
      : []),
  ]);
}

/** Embedded tags fill only what the uploader left empty. */
function fillFromTags(track: TrackFields, tags: TranscodeResult["tags"], defaults: Defaults): Partial<TrackFields> {
  const text = (key: string) => (typeof tags[key] === "string" ? (tags[key] as string).trim().slice(0, 200) : "");
  const filled: Partial<TrackFields> = {};
  const titleLeftEmpty = track.title === "" || track.title === "Untitled" || track.title === defaults.title;
  if (titleLeftEmpty && text("title")) filled.title = text("title");
  if (track.artist === "" && text("artist")) filled.artist = text("artist");
  if (track.genre === "" && text("genre")) filled.genre = text("genre");
  return filled;
}

export async function getTrackOutputs(db: Db, trackId: string): Promise<TrackOutputsRow | undefined> {
  return db.select().from(trackOutputs).where(eq(trackOutputs.trackId, trackId)).get();
}
