import { integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Rendition as ContractRendition } from "../../../transcoder/contract.ts";
import { tracks } from "./catalog.ts";

/** What is kept of each rendition the transcoder reports (transcoder/contract.ts). */
export type Rendition = Pick<
  ContractRendition,
  "quality" | "bitrateKbps" | "file" | "playlist" | "bytes" | "codecs"
> & {
  mimeType: string;
};

/** What the transcoder made of a track's original: one row per track, replaced on a rerun. */
export const trackOutputs = sqliteTable("track_outputs", {
  trackId: text("track_id")
    .primaryKey()
    .references(() => tracks.id, { onDelete: "cascade" }),
  renditions: text("renditions", { mode: "json" }).$type<Rendition[]>().notNull(),
  hlsMaster: text("hls_master").notNull(),
  waveformFile: text("waveform_file").notNull(),
  /** The original with its metadata stripped (same codec, no tags or pictures), served as a download. */
  downloadFile: text("download_file"),
  integratedLufs: real("integrated_lufs").notNull(),
  truePeakDbtp: real("true_peak_dbtp").notNull(),
  loudnessRange: real("loudness_range").notNull(),
  /** Gain to the -14 LUFS target, for the player's volume normalisation. */
  gainDb: real("gain_db").notNull(),
  sourceFormat: text("source_format").notNull(),
  sourceCodec: text("source_codec").notNull(),
  sourceSampleRate: integer("source_sample_rate").notNull(),
  sourceChannels: integer("source_channels").notNull(),
  sourceBitrateKbps: integer("source_bitrate_kbps"),
  tags: text("tags", { mode: "json" }).$type<Record<string, string | number>>().notNull(),
  completedAt: integer("completed_at").notNull(),
});
