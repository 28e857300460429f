// The demuxer each upload type is read with. The Worker sniffs the upload and the job names the
// type; ffmpeg is never left to guess: guessing let a file that merely began like audio be read as
// an HLS playlist whose segments were files on this machine.

/** The Worker's sniffed audio kinds (workers/media/sniff.ts AudioKind) → ffmpeg demuxer names. */
export const SOURCE_DEMUXERS = {
  mp3: "mp3",
  flac: "flac",
  wav: "wav",
  aac: "aac",
  m4a: "mov",
  "ogg-vorbis": "ogg",
  "ogg-opus": "ogg",
  aiff: "aiff",
} as const;

export type SourceFormat = keyof typeof SOURCE_DEMUXERS;

export const isSourceFormat = (value: unknown): value is SourceFormat =>
  typeof value === "string" && Object.hasOwn(SOURCE_DEMUXERS, value);

/**
 * ffmpeg/ffprobe input options for a source of this type: the demuxer is pinned (`-f`), no
 * protocol but local files may be opened, and no demuxer but the pinned one — not even by a
 * demuxer that opens nested inputs.
 */
export function sourceInputOptions(format: SourceFormat): string[] {
  const demuxer = SOURCE_DEMUXERS[format];
  return ["-protocol_whitelist", "file", "-format_whitelist", demuxer, "-f", demuxer];
}

/** How the metadata-stripped download copy of each type is written: muxer, and the file's extension. */
export const DOWNLOAD_MUXERS: Record<
  SourceFormat,
  { muxer: string; ext: string; mimeType: string; options: string[] }
> = {
  // No ID3 tag at all (an empty one would still say which software wrote the file).
  mp3: { muxer: "mp3", ext: "mp3", mimeType: "audio/mpeg", options: ["-id3v2_version", "0", "-write_id3v1", "0"] },
  flac: { muxer: "flac", ext: "flac", mimeType: "audio/flac", options: [] },
  wav: { muxer: "wav", ext: "wav", mimeType: "audio/wav", options: [] },
  aac: { muxer: "adts", ext: "aac", mimeType: "audio/aac", options: [] },
  m4a: { muxer: "mp4", ext: "m4a", mimeType: "audio/mp4", options: [] },
  "ogg-vorbis": { muxer: "ogg", ext: "ogg", mimeType: "audio/ogg", options: [] },
  "ogg-opus": { muxer: "ogg", ext: "opus", mimeType: "audio/ogg; codecs=opus", options: [] },
  aiff: { muxer: "aiff", ext: "aiff", mimeType: "audio/aiff", options: [] },
};

/** Whether a probed format_name (a comma list such as "mov,mp4,m4a,3gp,3g2,mj2") is the pinned demuxer. */
export function isExpectedFormat(formatName: string, format: SourceFormat): boolean {
  return formatName.split(",").includes(SOURCE_DEMUXERS[format]);
}
