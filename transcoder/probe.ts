// What is in a media file: ffprobe's JSON, or — where no ffprobe is installed — the stream summary
// that `ffmpeg -i` prints, parsed into the same shape.

import type { ChildProcess } from "node:child_process";
import type { RunResult } from "./proc.ts";
import { runProcess } from "./proc.ts";

export type ProbeStream = {
  index: number;
  codecType: string;
  codecName: string;
  sampleRate: number | null;
  channels: number | null;
  bitRate: number | null;
  duration: number | null;
  attachedPic: boolean;
  isDefault: boolean;
  tags: Record<string, string>;
};

export type ProbeInfo = {
  formatName: string;
  duration: number | null;
  bitRate: number | null;
  tags: Record<string, string>;
  streams: ProbeStream[];
};

export type ProbeOutcome =
  | { ok: true; info: ProbeInfo }
  | { ok: false; timedOut: boolean; aborted: boolean; reason: string };

type ProbeOptions = {
  /** Options placed before `-i` (the pinned demuxer and whitelists of source-format.ts). */
  inputOptions: string[];
  timeoutMs: number;
  signal?: AbortSignal;
  onSpawn?: (child: ChildProcess) => void;
};

const num = (value: unknown): number | null => {
  if (value === undefined || value === null || value === "" || value === "N/A") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

const lowerKeys = (tags: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (tags && typeof tags === "object") {
    for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
      if (typeof value === "string") out[key.toLowerCase()] = value;
    }
  }
  return out;
};

type FfprobeJson = {
  format?: Record<string, unknown> & { tags?: unknown };
  streams?: Array<Record<string, unknown> & { tags?: unknown; disposition?: Record<string, number> }>;
};

export function fromFfprobeJson(json: FfprobeJson): ProbeInfo {
  const format = json.format ?? {};
  return {
    formatName: String(format.format_name ?? ""),
    duration: num(format.duration),
    bitRate: num(format.bit_rate),
    tags: lowerKeys(format.tags),
    streams: (json.streams ?? []).map((s) => ({
      index: Number(s.index),
      codecType: String(s.codec_type ?? ""),
      codecName: String(s.codec_name ?? ""),
      sampleRate: num(s.sample_rate),
      channels: num(s.channels),
      bitRate: num(s.bit_rate),
      duration: num(s.duration),
      attachedPic: s.disposition?.attached_pic === 1,
      isDefault: s.disposition?.default === 1,
      tags: lowerKeys(s.tags),
    })),
  };
}

const LAYOUT_CHANNELS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  "2.1": 3,
  "3.0": 3,
  "3.0(back)": 3,
  "4.0": 4,
  quad: 4,
  "quad(side)": 4,
  "3.1": 4,
  "5.0": 5,
  "5.0(side)": 5,
  "4.1": 5,
  "5.1": 6,
  "5.1(side)": 6,
  "6.0": 6,
  "6.1": 7,
  "7.0": 7,
  "7.1": 8,
  "7.1(wide)": 8,
};

const IMAGE_CODECS = new Set(["mjpeg", "png", "bmp", "gif", "webp", "tiff"]);

const kbpsToBps = (kbps: number | null) => (kbps === null ? null : kbps * 1000);

function parseClock(text: string): number | null {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Parses the input summary `ffmpeg -hide_banner -i file` prints to stderr. Null if there is none. */
export function fromFfmpegBanner(stderr: string): ProbeInfo | null {
  const lines = stderr.split(/\r?\n/);
  const input = lines.findIndex((line) => /^Input #0, /.test(line));
  if (input < 0) return null;
  const info: ProbeInfo = {
    formatName: /^Input #0, (.+?), from '/.exec(lines[input] as string)?.[1] ?? "",
    duration: null,
    bitRate: null,
    tags: {},
    streams: [],
  };

  let tagsTarget: Record<string, string> | null = null;
  let metadataIndent = -1;
  for (const line of lines.slice(input + 1)) {
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (trimmed === "Metadata:") {
      tagsTarget = info.streams.length > 0 ? (info.streams[info.streams.length - 1] as ProbeStream).tags : info.tags;
      metadataIndent = indent;
      continue;
    }
    if (trimmed.startsWith("Duration:")) {
      tagsTarget = null;
      info.duration = parseClock(/^Duration: ([^,]+)/.exec(trimmed)?.[1] ?? "");
      info.bitRate = kbpsToBps(num(/bitrate: (\d+) kb\/s/.exec(trimmed)?.[1]));
      continue;
    }
    const stream = /^Stream #0:(\d+)(?:\[[^\]]*\])?(?:\([^)]*\))?: (\w+): (.*)$/.exec(trimmed);
    if (stream) {
      tagsTarget = null;
      const [, index, kind, rest] = stream as unknown as [string, string, string, string];
      const codecName = /^([\w-]+)/.exec(rest)?.[1] ?? "";
      const layout = /\d+ Hz, ([^,]+)/.exec(rest)?.[1]?.trim();
      const channels = layout
        ? (LAYOUT_CHANNELS[layout] ?? Number(/^(\d+) channels/.exec(layout)?.[1] ?? Number.NaN))
        : Number.NaN;
      const codecType = kind.toLowerCase();
      info.streams.push({
        index: Number(index),
        codecType,
        codecName,
        sampleRate: num(/(\d+) Hz/.exec(rest)?.[1]),
        channels: Number.isFinite(channels) ? channels : null,
        bitRate: kbpsToBps(num(/(\d+) kb\/s/.exec(rest)?.[1])),
        duration: null,
        attachedPic: codecType === "video" && (rest.includes("(attached pic)") || IMAGE_CODECS.has(codecName)),
        isDefault: rest.includes("(default)"),
        tags: {},
      });
      continue;
    }
    if (tagsTarget && indent > metadataIndent) {
      const tag = /^([^:]+?)\s*: (.*)$/.exec(trimmed);
      if (tag && tag[1]) tagsTarget[tag[1].toLowerCase()] = tag[2] ?? "";
      continue;
    }
    tagsTarget = null;
  }
  return info;
}

function failure(result: RunResult, reason: string): ProbeOutcome {
  return { ok: false, timedOut: result.timedOut, aborted: result.aborted, reason };
}

export async function probe(
  file: string,
  tools: { ffprobePath: string | null; ffmpegPath: string },
  options: ProbeOptions,
): Promise<ProbeOutcome> {
  if (tools.ffprobePath) {
    const chunks: Buffer[] = [];
    const result = await runProcess(
      tools.ffprobePath,
      ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", ...options.inputOptions, "-i", file],
      { ...options, onStdout: (chunk) => chunks.push(chunk) },
    );
    if (result.spawnError) throw result.spawnError;
    if (result.code !== 0) return failure(result, result.stderr.trim().split("\n").pop() ?? "");
    try {
      return { ok: true, info: fromFfprobeJson(JSON.parse(Buffer.concat(chunks).toString("utf8"))) };
    } catch {
      return failure(result, "unreadable ffprobe output");
    }
  }
  const result = await runProcess(
    tools.ffmpegPath,
    ["-hide_banner", "-nostdin", ...options.inputOptions, "-i", file],
    options,
  );
  if (result.spawnError) throw result.spawnError;
  if (result.timedOut || result.aborted) return failure(result, "probe interrupted");
  const info = fromFfmpegBanner(result.stderr);
  return info ? { ok: true, info } : failure(result, result.stderr.trim().split("\n").pop() ?? "");
}
