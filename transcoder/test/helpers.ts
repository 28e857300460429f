// Test harness: audio generated with ffmpeg at test time, a transcoder on an ephemeral port, and a
// tiny HTTP server that serves sources and records the outputs PUT to it.

import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TranscoderConfig } from "../config.ts";
import { SIGNATURE_HEADER, signJob } from "../job-auth.ts";
import { createTranscoderServer } from "../server.ts";
import type { SourceFormat } from "../source-format.ts";

const run = promisify(execFile);

export const FFMPEG = process.env.FFMPEG_PATH || "ffmpeg";
export const FFPROBE = process.env.FFPROBE_PATH || "ffprobe";

export function scratchDir(prefix = "veza-transcoder-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs ffmpeg to create `name` in dir from the given arguments (inputs, filters, codec options). */
export async function generate(dir: string, name: string, args: string[]): Promise<Buffer> {
  const path = join(dir, name);
  await run(FFMPEG, ["-hide_banner", "-loglevel", "error", "-y", ...args, path]);
  return readFileSync(path);
}

export async function ffprobeJson(path: string): Promise<{
  format: { duration?: string; format_name: string; tags?: Record<string, string> };
  streams: Array<{
    codec_name: string;
    codec_type: string;
    sample_rate?: string;
    channels?: number;
    duration?: string;
  }>;
}> {
  const { stdout } = await run(FFPROBE, [
    "-v",
    "error",
    "-print_format",
    "json",
    "-show_format",
    "-show_streams",
    path,
  ]);
  return JSON.parse(stdout);
}

/** Decodes files completely (in one ffmpeg run); returns ffmpeg's error output (empty when clean). */
export async function decodeErrors(...paths: string[]): Promise<string> {
  const inputs = paths.flatMap((path) => ["-i", path]);
  const outputs = paths.flatMap((_, i) => ["-map", `${i}:a`, "-f", "null", "-"]);
  const { stderr } = await run(FFMPEG, ["-hide_banner", "-v", "error", ...inputs, ...outputs]);
  return stderr.trim();
}

/** Integrated loudness (LUFS) of a file, as ffmpeg's ebur128 filter measures it. */
export async function integratedLoudness(path: string): Promise<number> {
  const { stderr } = await run(FFMPEG, [
    "-hide_banner",
    "-nostats",
    "-i",
    path,
    "-af",
    "ebur128=framelog=verbose",
    "-f",
    "null",
    "-",
  ]);
  const summary = stderr.slice(stderr.lastIndexOf("Summary:"));
  return Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
}

/** Seconds of audio a file decodes to (every sample, at its own rate). */
export async function decodedSeconds(path: string): Promise<number> {
  const probe = await ffprobeJson(path);
  const rate = Number(probe.streams.find((s) => s.codec_type === "audio")?.sample_rate);
  const { stdout } = await run(FFMPEG, ["-v", "error", "-i", path, "-map", "0:a:0", "-ac", "1", "-f", "s16le", "-"], {
    encoding: "buffer",
    maxBuffer: 1 << 30,
  });
  return stdout.length / 2 / rate;
}

/** A deterministic pseudo-random byte buffer (xorshift32). */
export function pseudoRandomBytes(length: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A PCM WAV file (8-bit unsigned mono) of the given length filled with silence. */
export function silentWav(seconds: number, sampleRate: number): Buffer {
  const dataBytes = seconds * sampleRate;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVE", 8, "latin1");
  header.write("fmt ", 12, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write("data", 36, "latin1");
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.alloc(dataBytes, 0x80)]);
}

// ---------------------------------------------------------------------------------------------
// Source/sink HTTP server

export type Stored = { contentType: string; body: Buffer };

export type Sink = {
  url: string;
  /** Serve `body` at GET /src/<name>. */
  source(name: string, body: Buffer): string;
  /** Where a job with this key stores its outputs. */
  outputBase(key: string): string;
  /** Outputs stored under a key, by file name. */
  outputs(key: string): Map<string, Stored>;
  /** PUTs under this key are answered with this status. */
  failPuts(key: string, status: number): void;
  /** When each source was requested (ms since epoch). */
  sourceRequests: Array<{ name: string; at: number }>;
  /** When each output was stored (ms since epoch). */
  storedAt: Array<{ key: string; file: string; at: number }>;
  close(): Promise<void>;
};

export async function startSink(): Promise<Sink> {
  const sources = new Map<string, Buffer>();
  const stored = new Map<string, Map<string, Stored>>();
  const failing = new Map<string, number>();
  const sourceRequests: Sink["sourceRequests"] = [];
  const storedAt: Sink["storedAt"] = [];
  const server = createServer((req, res) => {
    const parts = (req.url ?? "/").split("/").filter(Boolean).map(decodeURIComponent);
    if (req.method === "GET" && parts[0] === "src" && parts.length === 2) {
      const name = parts[1] as string;
      sourceRequests.push({ name, at: Date.now() });
      const body = sources.get(name);
      if (!body) {
        res.writeHead(404, { "content-type": "text/plain" }).end("no such source");
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
      res.end(body);
      return;
    }
    if (req.method === "PUT" && parts[0] === "out" && parts.length === 3) {
      const [, key, file] = parts as [string, string, string];
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const status = failing.get(key);
        if (status) {
          res.writeHead(status).end("refused");
          return;
        }
        const body = Buffer.concat(chunks);
        if (Number(req.headers["content-length"]) !== body.length) {
          res.writeHead(400).end("length mismatch");
          return;
        }
        const files = stored.get(key) ?? new Map<string, Stored>();
        stored.set(key, files);
        files.set(file, { contentType: String(req.headers["content-type"]), body });
        storedAt.push({ key, file, at: Date.now() });
        res.writeHead(201).end();
      });
      return;
    }
    res.writeHead(405).end();
  });
  await listen(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    source(name, body) {
      sources.set(name, body);
      return `${url}/src/${encodeURIComponent(name)}`;
    },
    outputBase: (key) => `${url}/out/${encodeURIComponent(key)}/`,
    outputs: (key) => stored.get(key) ?? new Map(),
    failPuts: (key, status) => failing.set(key, status),
    sourceRequests,
    storedAt,
    close: () => close(server),
  };
}

// ---------------------------------------------------------------------------------------------
// Transcoder under test

export type Harness = {
  url: string;
  tmpDir: string;
  spawned: ChildProcess[];
  logs: string[];
  close(): Promise<void>;
};

/** The secret test transcoders verify jobs with. */
export const TEST_JOB_SECRET = "transcoder-test-secret-0123456789abcdef";

/** Headers of a job signed with `secret`, valid for `ttlSeconds` (negative: already expired). */
export function signedJobHeaders(body: string, secret = TEST_JOB_SECRET, ttlSeconds = 60): Record<string, string> {
  const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
  const nonce = randomBytes(16).toString("base64url");
  return { "content-type": "application/json", [SIGNATURE_HEADER]: signJob(secret, body, expires, nonce) };
}

export async function startTranscoder(overrides: Partial<TranscoderConfig> = {}): Promise<Harness> {
  const tmpDir = scratchDir("veza-transcoder-jobs-");
  const spawned: ChildProcess[] = [];
  const logs: string[] = [];
  const server = createTranscoderServer({
    jobSecret: TEST_JOB_SECRET,
    tmpDir,
    log: (line) => logs.push(line),
    onSpawn: (child) => spawned.push(child),
    ...overrides,
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tmpDir,
    spawned,
    logs,
    async close() {
      server.abortAll();
      await close(server);
      rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

export type JobAnswer = { status: number; body: any; ms: number };

export async function postJob(transcoder: Harness, job: unknown): Promise<JobAnswer> {
  const started = Date.now();
  const text = typeof job === "string" ? job : JSON.stringify(job);
  const response = await fetch(`${transcoder.url}/jobs`, {
    method: "POST",
    headers: signedJobHeaders(text),
    body: text,
  });
  const body = await response.json();
  return { status: response.status, body, ms: Date.now() - started };
}

/**
 * The type the Worker's sniffer (workers/media/sniff.ts) reports for the files these tests generate;
 * bytes it would refuse are sent as "mp3", the type such files most often pretend to be.
 */
export function sniffedFormat(source: Buffer): SourceFormat {
  const text = (at: number, length: number) => source.toString("latin1", at, at + length);
  if (text(0, 4) === "fLaC") return "flac";
  if (text(0, 4) === "RIFF") return "wav";
  if (text(0, 4) === "FORM") return "aiff";
  if (text(0, 4) === "OggS") return source.includes("OpusHead") ? "ogg-opus" : "ogg-vorbis";
  if (text(4, 4) === "ftyp") return "m4a";
  if (source[0] === 0xff && ((source[1] ?? 0) & 0xf6) === 0xf0) return "aac";
  return "mp3";
}

let jobCounter = 0;

/** Serves `source`, runs a job over it, returns the answer and what was stored. */
export async function transcode(
  transcoder: Harness,
  sink: Sink,
  source: Buffer,
  extra: Record<string, unknown> = {},
): Promise<JobAnswer & { key: string; outputs: Map<string, Stored> }> {
  const key = `job-${++jobCounter}`;
  const answer = await postJob(transcoder, {
    jobId: key,
    trackId: `track-${jobCounter}`,
    format: sniffedFormat(source),
    sourceUrl: sink.source(key, source),
    outputBaseUrl: sink.outputBase(key),
    ...extra,
  });
  return { ...answer, key, outputs: sink.outputs(key) };
}

/** Writes stored outputs to a directory (to run ffprobe/ffmpeg over them). */
export function writeOutputs(outputs: Map<string, Stored>): string {
  const dir = scratchDir("veza-transcoder-out-");
  for (const [name, { body }] of outputs) writeFileSync(join(dir, name), body);
  return dir;
}

export const leftovers = (dir: string) => readdirSync(dir);

/** Processes (other than zombies) whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

// ---------------------------------------------------------------------------------------------
// An ISO BMFF reader for the checks, written independently of the transcoder's own.

export type TestBox = { type: string; start: number; end: number };

export function topBoxes(buf: Buffer): TestBox[] {
  const boxes: TestBox[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    let size = buf.readUInt32BE(at);
    if (size === 1) size = Number(buf.readBigUInt64BE(at + 8));
    if (size === 0) size = buf.length - at;
    if (size < 8 || at + size > buf.length) throw new Error(`bad box at ${at}`);
    boxes.push({ type: buf.toString("latin1", at + 4, at + 8), start: at, end: at + size });
    at += size;
  }
  if (at !== buf.length) throw new Error(`trailing ${buf.length - at} bytes`);
  return boxes;
}

export type PlaylistEntry = { duration: number; length: number; offset: number; uri: string };

export function parseMediaPlaylist(text: string): {
  version: number;
  targetDuration: number;
  map: { uri: string; length: number; offset: number };
  segments: PlaylistEntry[];
  ended: boolean;
} {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines[0] !== "#EXTM3U") throw new Error("not a playlist");
  const version = Number(/^#EXT-X-VERSION:(\d+)/m.exec(text)?.[1]);
  const targetDuration = Number(/^#EXT-X-TARGETDURATION:(\d+)/m.exec(text)?.[1]);
  const mapMatch = /^#EXT-X-MAP:URI="([^"]+)",BYTERANGE="(\d+)@(\d+)"/m.exec(text);
  if (!mapMatch) throw new Error("no EXT-X-MAP");
  const segments: PlaylistEntry[] = [];
  let duration: number | null = null;
  let range: [number, number] | null = null;
  for (const line of lines) {
    const inf = /^#EXTINF:([\d.]+),/.exec(line);
    if (inf) duration = Number(inf[1]);
    const br = /^#EXT-X-BYTERANGE:(\d+)@(\d+)$/.exec(line);
    if (br) range = [Number(br[1]), Number(br[2])];
    if (!line.startsWith("#")) {
      if (duration === null || range === null) throw new Error(`segment ${line} lacks EXTINF/BYTERANGE`);
      segments.push({ duration, length: range[0], offset: range[1], uri: line });
      duration = null;
      range = null;
    }
  }
  return {
    version,
    targetDuration,
    map: { uri: mapMatch[1] as string, length: Number(mapMatch[2]), offset: Number(mapMatch[3]) },
    segments,
    ended: lines.includes("#EXT-X-ENDLIST"),
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export type SidxReference = { type: number; size: number; duration: number; startsWithSap: boolean };

/** Reads a sidx box (ISO/IEC 14496-12 8.16.3), version 0 or 1. */
export function parseSidx(box: Buffer): {
  timescale: number;
  earliestPresentationTime: number;
  firstOffset: number;
  references: SidxReference[];
} {
  if (box.toString("latin1", 4, 8) !== "sidx") throw new Error("not a sidx box");
  const version = box.readUInt8(8);
  const timescale = box.readUInt32BE(16);
  let at = 20;
  const read = () => {
    const value = version === 0 ? box.readUInt32BE(at) : Number(box.readBigUInt64BE(at));
    at += version === 0 ? 4 : 8;
    return value;
  };
  const earliestPresentationTime = read();
  const firstOffset = read();
  const count = box.readUInt16BE(at + 2);
  at += 4;
  const references: SidxReference[] = [];
  for (let i = 0; i < count; i++, at += 12) {
    const word = box.readUInt32BE(at);
    references.push({
      type: word >>> 31,
      size: word & 0x7fffffff,
      duration: box.readUInt32BE(at + 4),
      startsWithSap: box.readUInt32BE(at + 8) >>> 31 === 1,
    });
  }
  if (at !== box.length) throw new Error("sidx size does not match its reference count");
  return { timescale, earliestPresentationTime, firstOffset, references };
}
