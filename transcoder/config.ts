// Runtime settings of the transcoder: read from the environment by default, overridable per
// server instance (tests start several servers with different limits in one process).

import type { ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { MIN_SECRET_LENGTH } from "./job-auth.ts";

export type TranscoderConfig = {
  /** Shared secret the Worker signs jobs with (TRANSCODER_SECRET); the server refuses to start without one. */
  jobSecret: string;
  /** Interface to listen on (HOST): loopback unless the container sets 0.0.0.0. */
  host: string;
  /** ffmpeg executable. */
  ffmpegPath: string;
  /** ffprobe executable, or null to probe by parsing `ffmpeg -i` (when no ffprobe is installed). */
  ffprobePath: string | null;
  /** Jobs run at once; further jobs wait for a slot. */
  concurrency: number;
  /** Longest accepted audio, in seconds. Longer sources are refused before decoding. */
  maxDurationS: number;
  /** Largest accepted source, in bytes. */
  maxSourceBytes: number;
  /** Fixed time limit for each ffmpeg run; null scales it with the duration. */
  ffmpegTimeoutMs: number | null;
  /** Upper bound of the duration-scaled ffmpeg limit. */
  ffmpegTimeoutCapMs: number;
  /** Time limit for each ffprobe run. */
  probeTimeoutMs: number;
  /** Time limit for downloading the source. */
  sourceTimeoutMs: number;
  /** Time limit for each output PUT. */
  uploadTimeoutMs: number;
  /** Where per-job temporary directories are created. */
  tmpDir: string;
  /** One line per job. */
  log: (line: string) => void;
  /** Called with every ffmpeg/ffprobe child process (used by tests to check they are reaped). */
  onSpawn?: (child: ChildProcess) => void;
};

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  }
  return value;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` on PATH, or null. */
export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** The ffmpeg binary shipped by the npm package @ffmpeg-installer/ffmpeg, if it is installed. */
export function bundledFfmpeg(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const installer = require("@ffmpeg-installer/ffmpeg") as { path?: string };
    return installer.path && isExecutable(installer.path) ? installer.path : null;
  } catch {
    return null;
  }
}

/** FFMPEG_PATH, else `ffmpeg` on PATH, else the npm-bundled binary. */
export function resolveFfmpeg(): string {
  return process.env.FFMPEG_PATH || findOnPath("ffmpeg") || bundledFfmpeg() || "ffmpeg";
}

/** FFPROBE_PATH, else `ffprobe` on PATH, else null (probe through `ffmpeg -i`). */
export function resolveFfprobe(): string | null {
  return process.env.FFPROBE_PATH || findOnPath("ffprobe");
}

export function loadConfig(overrides: Partial<TranscoderConfig> = {}): TranscoderConfig {
  const fixedTimeout = process.env.FFMPEG_TIMEOUT_MS;
  const base: TranscoderConfig = {
    jobSecret: process.env.TRANSCODER_SECRET ?? "",
    host: process.env.HOST || "127.0.0.1",
    ffmpegPath: overrides.ffmpegPath ?? resolveFfmpeg(),
    ffprobePath: overrides.ffprobePath !== undefined ? overrides.ffprobePath : resolveFfprobe(),
    concurrency: Math.max(1, Math.floor(envNumber("TRANSCODER_CONCURRENCY", 2))),
    maxDurationS: envNumber("TRANSCODER_MAX_DURATION_S", 3 * 3600),
    maxSourceBytes: envNumber("TRANSCODER_MAX_SOURCE_BYTES", 4 * 1024 ** 3),
    ffmpegTimeoutMs: fixedTimeout ? envNumber("FFMPEG_TIMEOUT_MS", 0) : null,
    ffmpegTimeoutCapMs: envNumber("FFMPEG_TIMEOUT_CAP_MS", 2 * 3600 * 1000),
    probeTimeoutMs: envNumber("FFPROBE_TIMEOUT_MS", 30_000),
    sourceTimeoutMs: envNumber("SOURCE_TIMEOUT_MS", 10 * 60_000),
    uploadTimeoutMs: envNumber("UPLOAD_TIMEOUT_MS", 5 * 60_000),
    tmpDir: process.env.TRANSCODER_TMPDIR || tmpdir(),
    log: (line) => console.log(line),
  };
  const merged = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (merged.jobSecret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `TRANSCODER_SECRET must be set to at least ${MIN_SECRET_LENGTH} characters, the same as the Worker's (it signs jobs with it; locally it comes from .dev.vars, see .dev.vars.example).`,
    );
  }
  return merged;
}

/** The time limit of one ffmpeg run over audio of the given length. */
export function ffmpegTimeoutFor(config: TranscoderConfig, durationS: number | null): number {
  if (config.ffmpegTimeoutMs !== null) return config.ffmpegTimeoutMs;
  const seconds = durationS ?? config.maxDurationS;
  return Math.min(config.ffmpegTimeoutCapMs, 60_000 + 2 * seconds * 1000);
}
