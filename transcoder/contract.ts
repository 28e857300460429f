// The contract between the Worker's queue consumer and this transcoder: the job it sends and the
// result it gets back. No runtime dependencies, so the Worker imports it too (its zod schema of
// the result is checked against these types at compile time, in workers/media/transcoder-client.ts).
import type { Loudness } from "./loudness.ts";
import type { SourceFormat } from "./source-format.ts";

/** The AAC renditions every track gets (64, 128 and 256 kbps); the Worker adds `original`. */
export const RENDITION_QUALITIES = ["low", "medium", "high"] as const;
export type Quality = (typeof RENDITION_QUALITIES)[number];

export type JobSpec = {
  jobId: string;
  trackId: string;
  /** The type the Worker sniffed from the upload's bytes; the source is read as that and nothing else. */
  format: SourceFormat;
  sourceUrl: string;
  outputBaseUrl: string;
  targetLufs: number;
};

export type Rendition = {
  quality: Quality;
  bitrateKbps: number;
  file: string;
  playlist: string;
  bytes: number;
  mimeType: "audio/mp4";
  codecs: string;
  sampleRate: number;
  channels: number;
  durationMs: number;
};

export type Tags = { title?: string; artist?: string; album?: string; year?: number; genre?: string };

export type JobResult = {
  jobId: string;
  trackId: string;
  durationMs: number;
  source: { format: string; codec: string; sampleRate: number; channels: number; bitrateKbps: number | null };
  renditions: Rendition[];
  hls: { master: string };
  loudness: Loudness;
  waveform: { file: string; points: number };
  tags: Tags;
  cover: { file: string; mimeType: string } | null;
  /** The original's audio, untouched, with every tag, picture and chapter removed (null if that failed). */
  download: { file: string; mimeType: string; bytes: number } | null;
};
