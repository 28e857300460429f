// One transcode job: download the source, probe it, run ffmpeg (one process per rendition, in
// parallel; the first one also measures loudness and streams PCM for the waveform), index the
// fragmented MP4s, write the HLS playlists, and PUT every output.

import { mkdtemp, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { TranscoderConfig } from "./config.ts";
import { ffmpegTimeoutFor } from "./config.ts";
import type { JobResult, JobSpec, Quality, Rendition, Tags } from "./contract.ts";
import { invalidAudio, JobError, withDetail } from "./errors.ts";
import type { Fmp4Layout } from "./fmp4.ts";
import { analyzeFmp4 } from "./fmp4.ts";
import { AAC_LC_CODECS, bandwidthOf, masterPlaylist, mediaPlaylist, segmentsOf } from "./hls.ts";
import type { Output } from "./io.ts";
import { download, runLimited, upload } from "./io.ts";
import { loudnessFrom, parseEbur128Summary } from "./loudness.ts";
import type { ProbeInfo, ProbeStream } from "./probe.ts";
import { probe } from "./probe.ts";
import type { RunResult } from "./proc.ts";
import { runProcess } from "./proc.ts";
import {
  DOWNLOAD_MUXERS,
  isExpectedFormat,
  isSourceFormat,
  SOURCE_DEMUXERS,
  sourceInputOptions,
} from "./source-format.ts";
import { PeakAccumulator } from "./waveform.ts";

export type { JobResult, JobSpec, Quality, Rendition, Tags } from "./contract.ts";

export const RENDITIONS: ReadonlyArray<{ quality: Quality; kbps: number }> = [
  { quality: "low", kbps: 64 },
  { quality: "medium", kbps: 128 },
  { quality: "high", kbps: 256 },
];

/** Lossy sources get renditions up to their own bitrate, with this much slack for VBR. */
const BITRATE_SLACK = 1.1;
const FRAGMENT_US = 4_000_000;
const MP4_FLAGS = "+empty_moov+default_base_moof+delay_moov+skip_trailer";
/** ffmpeg errors that are about this machine, not the input (so worth a retry). */
const LOCAL_TROUBLE = /No space left on device|Cannot allocate memory|Permission denied|Too many open files/i;
const AAC_SAMPLE_RATES = [7350, 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

// ---------------------------------------------------------------------------------------------
// Job validation

const isHttpUrl = (value: unknown): value is string => {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
};

const nonEmpty = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0 && value.length <= 200;

export function parseJob(body: unknown): JobSpec {
  const bad = (message: string) => new JobError(400, "invalid_job", message);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw bad("The job must be a JSON object.");
  const job = body as Record<string, unknown>;
  if (!nonEmpty(job.jobId)) throw bad("The jobId must be a non-empty string.");
  if (!nonEmpty(job.trackId)) throw bad("The trackId must be a non-empty string.");
  if (!isSourceFormat(job.format)) {
    throw bad(`The format must be one of ${Object.keys(SOURCE_DEMUXERS).join(", ")}.`);
  }
  if (!isHttpUrl(job.sourceUrl)) throw bad("The sourceUrl must be an absolute http(s) URL.");
  if (!isHttpUrl(job.outputBaseUrl) || !job.outputBaseUrl.endsWith("/")) {
    throw bad("The outputBaseUrl must be an absolute http(s) URL ending with a slash.");
  }
  let targetLufs = -14;
  if (job.targetLufs !== undefined && job.targetLufs !== null) {
    if (
      typeof job.targetLufs !== "number" ||
      !Number.isFinite(job.targetLufs) ||
      job.targetLufs < -70 ||
      job.targetLufs > 0
    ) {
      throw bad("The targetLufs must be a number between -70 and 0.");
    }
    targetLufs = job.targetLufs;
  }
  return {
    jobId: job.jobId,
    trackId: job.trackId,
    format: job.format,
    sourceUrl: job.sourceUrl,
    outputBaseUrl: job.outputBaseUrl,
    targetLufs,
  };
}

// ---------------------------------------------------------------------------------------------
// Decisions from the probe

export function isLossless(codec: string): boolean {
  return (
    codec.startsWith("pcm_") ||
    ["flac", "alac", "wavpack", "ape", "tta", "mlp", "truehd", "shorten", "tak"].includes(codec)
  );
}

/** The renditions a source deserves: never above its own bitrate; always at least the lowest. */
export function renditionsFor(codec: string, bitrateBps: number | null): Array<{ quality: Quality; kbps: number }> {
  if (isLossless(codec)) return [...RENDITIONS];
  // Unknown bitrate of a lossy source: stay modest.
  const sourceKbps = bitrateBps === null ? 128 : bitrateBps / 1000;
  return RENDITIONS.filter((r, i) => i === 0 || r.kbps <= sourceKbps * BITRATE_SLACK);
}

/** AAC output rate: the source rate if AAC has it, else the next one up, at most 48 kHz. */
export function outputSampleRate(sourceRate: number): number {
  if (sourceRate > 48000) return sourceRate % 44100 === 0 ? 44100 : 48000;
  return AAC_SAMPLE_RATES.find((rate) => rate >= sourceRate) ?? 48000;
}

function pickAudioStream(info: ProbeInfo): ProbeStream | undefined {
  const audio = info.streams.filter((s) => s.codecType === "audio" && s.codecName && s.codecName !== "none");
  return audio.find((s) => s.isDefault) ?? audio[0];
}

function pickCover(info: ProbeInfo): ProbeStream | undefined {
  const pictures = info.streams.filter((s) => s.codecType === "video" && s.attachedPic);
  return pictures.find((s) => /front/i.test(s.tags.comment ?? "")) ?? pictures[0];
}

function formatLabel(formatName: string): string {
  const names = formatName.split(",");
  if (names.includes("mp4")) return "mp4";
  return names[0] || "unknown";
}

export function extractTags(info: ProbeInfo, audio: ProbeStream): Tags {
  const all: Record<string, string> = { ...audio.tags, ...info.tags };
  const text = (...keys: string[]) => {
    for (const key of keys) {
      const value = all[key]?.replace(/\0/g, "").trim();
      if (value) return value.slice(0, 500);
    }
    return undefined;
  };
  const tags: Tags = {};
  const title = text("title");
  const artist = text("artist", "album_artist", "albumartist");
  const album = text("album");
  const genre = text("genre");
  const date = text("date", "year", "originaldate", "tdrc", "tyer", "creation_time");
  if (title) tags.title = title;
  if (artist) tags.artist = artist;
  if (album) tags.album = album;
  const year = date ? Number(/(\d{4})/.exec(date)?.[1]) : Number.NaN;
  if (Number.isInteger(year) && year > 0) tags.year = year;
  if (genre) tags.genre = genre;
  return tags;
}

const clock = (seconds: number) => {
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
};

// ---------------------------------------------------------------------------------------------
// The job

const cancelled = () => new JobError(499, "aborted", "The job was cancelled.");

export async function runJob(spec: JobSpec, config: TranscoderConfig, signal: AbortSignal): Promise<JobResult> {
  const dir = await mkdtemp(join(config.tmpDir, "veza-job-"));
  try {
    return await transcode(spec, config, signal, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function transcode(
  spec: JobSpec,
  config: TranscoderConfig,
  signal: AbortSignal,
  dir: string,
): Promise<JobResult> {
  // 1. Source
  const source = join(dir, "source");
  const bytes = await download(spec.sourceUrl, source, {
    timeoutMs: config.sourceTimeoutMs,
    maxBytes: config.maxSourceBytes,
    signal,
  });
  if (bytes === 0) throw invalidAudio("The source file is empty.");

  // 2. Probe: refuse what is not audio, or too long, before decoding anything.
  const input = sourceInputOptions(spec.format);
  const probed = await probe(source, config, {
    inputOptions: input,
    timeoutMs: config.probeTimeoutMs,
    signal,
    onSpawn: config.onSpawn,
  });
  if (!probed.ok) {
    if (probed.aborted) throw cancelled();
    if (probed.timedOut) throw new JobError(504, "timeout", "Reading the source's format took too long.");
    throw withDetail(invalidAudio("The file is not in a recognisable audio format."), probed.reason);
  }
  const info = probed.info;
  if (!isExpectedFormat(info.formatName, spec.format)) {
    throw withDetail(invalidAudio("The file is not in the audio format it was uploaded as."), info.formatName);
  }
  const audio = pickAudioStream(info);
  if (!audio) throw invalidAudio("The file contains no audio stream.");
  const sampleRate = audio.sampleRate ?? 0;
  const channels = audio.channels ?? 0;
  if (sampleRate <= 0 || channels <= 0)
    throw invalidAudio("The audio stream has no usable sample rate or channel count.");
  const probedDuration = audio.duration ?? info.duration;
  if (probedDuration !== null && probedDuration > config.maxDurationS) {
    throw invalidAudio(
      `The audio lasts ${clock(probedDuration)}, longer than the ${clock(config.maxDurationS)} limit.`,
    );
  }

  // 3. Plan
  const sourceBitrate = audio.bitRate ?? info.bitRate;
  const plan = renditionsFor(audio.codecName, sourceBitrate);
  const outRate = outputSampleRate(sampleRate);
  const outChannels = channels === 1 ? 1 : 2;
  const waveChannels = channels === 1 ? 1 : 2;
  const waveform = new PeakAccumulator(waveChannels, (probedDuration ?? 300) * sampleRate);
  const cover = pickCover(info);
  const coverName = cover?.codecName === "mjpeg" ? "cover.jpg" : "cover.png";
  const timeoutMs = ffmpegTimeoutFor(config, probedDuration);
  const audioInput = `0:${audio.index}`;

  const head = (logLevel: string) => [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    logLevel,
    "-t",
    String(config.maxDurationS),
    ...input,
    "-i",
    source,
    "-map_metadata",
    "-1",
    "-map_chapters",
    "-1",
  ];
  const encode = (kbps: number, file: string) => [
    "-c:a",
    "aac",
    "-b:a",
    `${kbps}k`,
    "-ar",
    String(outRate),
    "-ac",
    String(outChannels),
    "-movflags",
    MP4_FLAGS,
    "-frag_duration",
    String(FRAGMENT_US),
    "-f",
    "mp4",
    join(dir, file),
  ];

  type Task = { args: string[]; onStdout?: (chunk: Buffer) => void; optional?: boolean };
  const tasks: Task[] = plan.map((r, i) => {
    if (i > 0) return { args: [...head("error"), "-map", audioInput, ...encode(r.kbps, `${r.quality}.mp4`)] };
    const layout = waveChannels === 1 ? "mono" : "stereo";
    // Loudness is measured on what listeners get: surround sources are measured after the same
    // stereo downmix as the renditions (-ac 2 and aformat use the same default matrix).
    const downmix = channels > 2 ? "aformat=channel_layouts=stereo," : "";
    const graph =
      `[${audioInput}]${downmix}asplit=3[enc][loud][wave];` +
      "[loud]ebur128=peak=true:framelog=verbose,anullsink;" +
      `[wave]aformat=sample_fmts=s16:sample_rates=${sampleRate}:channel_layouts=${layout}[pcm]`;
    return {
      args: [
        ...head("info"),
        "-filter_complex",
        graph,
        "-map",
        "[enc]",
        ...encode(r.kbps, `${r.quality}.mp4`),
        "-map",
        "[pcm]",
        "-c:a",
        "pcm_s16le",
        "-f",
        "s16le",
        "pipe:1",
      ],
      onStdout: (chunk) => waveform.push(chunk),
    };
  });
  // The download copy: the same audio bytes, no metadata (tags can hold addresses, names, GPS).
  const copy = DOWNLOAD_MUXERS[spec.format];
  const downloadName = `download.${copy.ext}`;
  const downloadTask = tasks.length;
  tasks.push({
    optional: true,
    args: [
      "-hide_banner",
      "-nostdin",
      "-loglevel",
      "error",
      ...input,
      "-i",
      source,
      "-map",
      audioInput,
      "-map_metadata",
      "-1",
      "-map_chapters",
      "-1",
      "-c",
      "copy",
      "-fflags",
      "+bitexact",
      "-flags:a",
      "+bitexact",
      ...copy.options,
      "-f",
      copy.muxer,
      join(dir, downloadName),
    ],
  });
  const coverTask = tasks.length;
  if (cover) {
    tasks.push({
      optional: true,
      args: [
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        ...input,
        "-i",
        source,
        "-map",
        `0:${cover.index}`,
        "-frames:v",
        "1",
        ...(cover.codecName === "mjpeg" || cover.codecName === "png" ? ["-c:v", "copy"] : ["-c:v", "png"]),
        "-f",
        "image2",
        "-update",
        "1",
        join(dir, coverName),
      ],
    });
  }

  // 4. Transcode: all processes at once; the first hard failure stops the others.
  const local = new AbortController();
  const stop = () => local.abort();
  signal.addEventListener("abort", stop, { once: true });
  let results: RunResult[];
  try {
    results = await Promise.all(
      tasks.map(async (task) => {
        const result = await runProcess(config.ffmpegPath, task.args, {
          timeoutMs,
          signal: local.signal,
          onStdout: task.onStdout,
          onSpawn: config.onSpawn,
        });
        if (!task.optional && (result.code !== 0 || result.timedOut)) local.abort();
        return result;
      }),
    );
  } finally {
    signal.removeEventListener("abort", stop);
  }
  if (signal.aborted) throw cancelled();
  const spawnFailure = results.find((r) => r.spawnError);
  if (spawnFailure) throw new JobError(500, "transcode_failed", "The transcoder could not start ffmpeg.");
  if (results.some((r) => r.timedOut)) {
    throw new JobError(504, "timeout", `Transcoding took longer than the ${Math.round(timeoutMs / 1000)} s limit.`);
  }
  const required = results.filter((_, i) => !tasks[i]?.optional);
  // The process that failed first exited with an error; the others were killed because of it.
  const failed = required.find((r) => r.code !== 0 && r.code !== null) ?? required.find((r) => r.code !== 0);
  const analysis = results[0] as RunResult;
  if (waveform.frames === 0 && !(failed && LOCAL_TROUBLE.test(failed.stderr))) {
    throw withDetail(invalidAudio("No audio could be decoded from the file."), analysis.stderr);
  }
  if (failed) {
    throw withDetail(
      new JobError(500, "transcode_failed", "The audio could not be transcoded (ffmpeg failed)."),
      failed.stderr,
    );
  }
  const decodedS = waveform.frames / sampleRate;
  if (decodedS >= config.maxDurationS) {
    throw invalidAudio(`The audio is longer than the ${clock(config.maxDurationS)} limit.`);
  }
  const durationMs = Math.round(decodedS * 1000);
  const summary = parseEbur128Summary(analysis.stderr);
  if (!summary) {
    throw withDetail(
      new JobError(500, "transcode_failed", "The loudness measurement produced no result."),
      analysis.stderr,
    );
  }
  const loudness = loudnessFrom(summary, spec.targetLufs);

  // 5. Index the renditions and write the playlists.
  const outputs: Output[] = [];
  const renditions: Rendition[] = [];
  const variants = [];
  for (const r of plan) {
    const file = `${r.quality}.mp4`;
    const playlist = `${r.quality}.m3u8`;
    let layout: Fmp4Layout;
    try {
      layout = await analyzeFmp4(join(dir, file));
    } catch (error) {
      throw withDetail(
        new JobError(500, "transcode_failed", `The ${r.quality} rendition is not a valid fragmented MP4.`),
        String(error),
      );
    }
    const segments = segmentsOf(layout);
    const bandwidth = bandwidthOf(segments);
    outputs.push({
      name: file,
      contentType: "audio/mp4",
      parts: [layout.init, layout.index, { path: join(dir, file), start: layout.mediaStart, end: layout.mediaEnd }],
    });
    outputs.push({
      name: playlist,
      contentType: "application/vnd.apple.mpegurl",
      parts: [Buffer.from(mediaPlaylist(file, layout.init.length, segments))],
    });
    variants.push({ playlist, codecs: AAC_LC_CODECS, ...bandwidth });
    renditions.push({
      quality: r.quality,
      bitrateKbps: r.kbps,
      file,
      playlist,
      bytes: layout.outputSize,
      mimeType: "audio/mp4",
      codecs: AAC_LC_CODECS,
      sampleRate: outRate,
      channels: outChannels,
      durationMs: Math.round(((layout.totalDuration - layout.primingDuration) / layout.timescale) * 1000),
    });
  }
  outputs.push({
    name: "master.m3u8",
    contentType: "application/vnd.apple.mpegurl",
    parts: [Buffer.from(masterPlaylist(variants))],
  });
  const peaks = waveform.finish();
  outputs.push({
    name: "waveform.json",
    contentType: "application/json",
    parts: [Buffer.from(JSON.stringify({ peaks, durationMs }))],
  });
  let coverResult: JobResult["cover"] = null;
  if (cover) {
    const coverPath = join(dir, coverName);
    const coverSize = await stat(coverPath)
      .then((s) => s.size)
      .catch(() => 0);
    if (results[coverTask]?.code === 0 && coverSize > 0) {
      const mimeType = coverName === "cover.jpg" ? "image/jpeg" : "image/png";
      outputs.push({ name: coverName, contentType: mimeType, parts: [{ path: coverPath, start: 0, end: coverSize }] });
      coverResult = { file: coverName, mimeType };
    }
  }

  let downloadResult: JobResult["download"] = null;
  const downloadPath = join(dir, downloadName);
  const downloadSize = await stat(downloadPath)
    .then((s) => s.size)
    .catch(() => 0);
  if (results[downloadTask]?.code === 0 && downloadSize > 0) {
    outputs.push({
      name: downloadName,
      contentType: copy.mimeType,
      parts: [{ path: downloadPath, start: 0, end: downloadSize }],
    });
    downloadResult = { file: downloadName, mimeType: copy.mimeType, bytes: downloadSize };
  }

  // 6. Store everything.
  await runLimited(outputs, 4, (output) =>
    upload(`${spec.outputBaseUrl}${output.name}`, output, { timeoutMs: config.uploadTimeoutMs, signal }),
  );
  if (signal.aborted) throw cancelled();

  return {
    jobId: spec.jobId,
    trackId: spec.trackId,
    durationMs,
    source: {
      format: formatLabel(info.formatName),
      codec: audio.codecName,
      sampleRate,
      channels,
      bitrateKbps: sourceBitrate === null ? null : Math.round(sourceBitrate / 1000),
    },
    renditions,
    hls: { master: "master.m3u8" },
    loudness,
    waveform: { file: "waveform.json", points: peaks.length },
    tags: extractTags(info, audio),
    cover: coverResult,
    download: downloadResult,
  };
}
