// Transcoding benchmark: the transcoder's whole job (download, probe, renditions, loudness,
// waveform, playlists, uploads — through its HTTP API, with a local HTTP server as source and sink)
// against the bare ffmpeg commands producing the same outputs, run one after another as a naive
// script would. Prints wall times, the overhead ratio (job / bare) and speed in × realtime (median
// of a few repetitions), and appends them to bench/RESULTS.md under "## Transcoding".
//
// Usage: node bench/transcode.ts [--seconds 300] [--reps 3] [--no-write]

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { SIGNATURE_HEADER, signJob } from "../transcoder/job-auth.ts";
import { createTranscoderServer } from "../transcoder/server.ts";
import { machineLine, recordSection, timestamp } from "./results-file.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const SECONDS = option("seconds", 300);
const REPS = option("reps", 3);
const WRITE = !args.includes("--no-write");

const JOB_SECRET = randomBytes(32).toString("base64url");
const server = createTranscoderServer({ log: () => {}, jobSecret: JOB_SECRET });
const ffmpeg = server.config.ffmpegPath;
const MP4_FLAGS = ["-movflags", "+empty_moov+default_base_moof+delay_moov+skip_trailer", "-frag_duration", "4000000"];

function run(command: string, argv: string[], stdout: "ignore" | "drain" = "ignore"): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ["ignore", stdout === "drain" ? "pipe" : "ignore", "pipe"] });
    let stderr = "";
    child.stdout?.on("data", () => {});
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stderr) : reject(new Error(`${command} exited ${code}: ${stderr}`)),
    );
  });
}

/** CPU seconds used so far by this process and by its reaped children (Linux /proc). */
function cpuSeconds(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime are fields 14-17 (1-based); fields[] starts at field 3.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100; // USER_HZ
  } catch {
    return Number.NaN;
  }
}

/** A Markdown table with padded columns (the way the repository's formatter writes them). */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(3, ...rows.map((row) => [...(row[c] ?? "")].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  return [line(rows[0]!), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const work = mkdtempSync(join(tmpdir(), "veza-bench-transcode-"));
try {
  // A 5-minute stereo 44.1 kHz FLAC with some texture (two tones under pink noise), so that the
  // AAC encoder has real work to do.
  const source = join(work, "source.flac");
  await run(ffmpeg, [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `anoisesrc=color=pink:amplitude=0.08:sample_rate=44100:duration=${SECONDS}`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=220:sample_rate=44100:duration=${SECONDS}`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=331:sample_rate=44100:duration=${SECONDS}`,
    "-filter_complex",
    "[1:a]tremolo=f=3:d=0.6[l];[2:a]tremolo=f=5:d=0.4[r];[l][r]join=inputs=2:channel_layout=stereo[t];" +
      "[0:a]pan=stereo|c0=c0|c1=c0[n];[t][n]amix=inputs=2:normalize=0[out]",
    "-map",
    "[out]",
    "-c:a",
    "flac",
    source,
  ]);
  const sourceBytes = readFileSync(source);

  // Source and sink for the job.
  let stored = 0;
  const sink = createServer((req, res) => {
    if (req.method === "GET") {
      res.writeHead(200, { "content-length": sourceBytes.length });
      res.end(sourceBytes);
      return;
    }
    req.on("data", (chunk: Buffer) => {
      stored += chunk.length;
    });
    req.on("end", () => res.writeHead(201).end());
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const jobUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs`;

  const jobCpu: number[] = [];
  const bareCpu: number[] = [];

  async function viaServer(rep: number): Promise<number> {
    const cpu = cpuSeconds();
    const started = performance.now();
    const job = JSON.stringify({
      jobId: `bench-${rep}`,
      trackId: "bench",
      format: "flac",
      sourceUrl: `${sinkUrl}/source.flac`,
      outputBaseUrl: `${sinkUrl}/out/${rep}/`,
    });
    const expires = Math.floor(Date.now() / 1000) + 60;
    const signature = signJob(JOB_SECRET, job, expires, randomBytes(16).toString("base64url"));
    const response = await fetch(jobUrl, { method: "POST", headers: { [SIGNATURE_HEADER]: signature }, body: job });
    const body = await response.json();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`job failed: ${JSON.stringify(body)}`);
    if (body.renditions.length !== 3) throw new Error("expected three renditions");
    jobCpu.push(cpuSeconds() - cpu);
    return ms;
  }

  // The same outputs with plain ffmpeg commands, one after another.
  async function bare(): Promise<number> {
    const cpu = cpuSeconds();
    const started = performance.now();
    for (const kbps of [64, 128, 256]) {
      await run(ffmpeg, [
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-i",
        source,
        "-c:a",
        "aac",
        "-b:a",
        `${kbps}k`,
        ...MP4_FLAGS,
        "-f",
        "mp4",
        join(work, `bare-${kbps}.mp4`),
      ]);
    }
    await run(ffmpeg, [
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-i",
      source,
      "-af",
      "ebur128=peak=true:framelog=verbose",
      "-f",
      "null",
      "-",
    ]);
    await run(
      ffmpeg,
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", source, "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1"],
      "drain",
    );
    const ms = performance.now() - started;
    bareCpu.push(cpuSeconds() - cpu);
    return ms;
  }

  const load = loadavg()[0] ?? 0;
  const jobTimes: number[] = [];
  const bareTimes: number[] = [];
  await viaServer(0); // warm-up (ffmpeg binaries in the page cache)
  jobCpu.length = 0;
  for (let rep = 1; rep <= REPS; rep++) {
    // Alternate the order so that background noise hits both sides alike.
    if (rep % 2) {
      jobTimes.push(await viaServer(rep));
      bareTimes.push(await bare());
    } else {
      bareTimes.push(await bare());
      jobTimes.push(await viaServer(rep));
    }
    console.log(
      `rep ${rep}: job ${(jobTimes.at(-1)! / 1000).toFixed(2)} s, bare ffmpeg ${(bareTimes.at(-1)! / 1000).toFixed(2)} s`,
    );
  }
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => sink.close(resolve));

  const job = median(jobTimes);
  const plain = median(bareTimes);
  const ratio = job / plain;
  const cpuJob = median(jobCpu);
  const cpuBare = median(bareCpu);
  const versionLine = await new Promise<string>((resolve) => {
    const child = spawn(ffmpeg, ["-version"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("close", () => resolve(/^ffmpeg version (\S+)/.exec(out)?.[1] ?? "unknown"));
  });
  const lines = [
    `track: ${SECONDS} s stereo 44.1 kHz FLAC (${(sourceBytes.length / 1e6).toFixed(1)} MB); outputs: 3 AAC fMP4 renditions + playlists + loudness + waveform (${(stored / (REPS + 1) / 1e6).toFixed(1)} MB stored per job)`,
    `job through the server (median of ${REPS}): ${(job / 1000).toFixed(2)} s = ${(SECONDS / (job / 1000)).toFixed(1)}× realtime`,
    `bare ffmpeg commands, sequential:        ${(plain / 1000).toFixed(2)} s = ${(SECONDS / (plain / 1000)).toFixed(1)}× realtime`,
    `overhead ratio job / bare: ${ratio.toFixed(2)} (target ≤ 1.3)`,
    `CPU time: job ${cpuJob.toFixed(1)} s, bare ${cpuBare.toFixed(1)} s, ratio ${(cpuJob / cpuBare).toFixed(2)}`,
  ];
  console.log(`\n${lines.join("\n")}`);

  if (WRITE) {
    const entry = [
      "",
      `### ${timestamp()}: ${machineLine()}, ffmpeg ${versionLine}, load average ${load.toFixed(1)} at start`,
      "",
      `Command: \`${["node bench/transcode.ts", ...args.filter((a) => a !== "--no-write")].join(" ")}\``,
      "",
      ...table([
        ["", `wall time (median of ${REPS})`, "speed"],
        [
          "whole job through the transcoder",
          `${(job / 1000).toFixed(2)} s`,
          `${(SECONDS / (job / 1000)).toFixed(1)}× realtime`,
        ],
        [
          "bare ffmpeg commands, one after another",
          `${(plain / 1000).toFixed(2)} s`,
          `${(SECONDS / (plain / 1000)).toFixed(1)}× realtime`,
        ],
        ["**overhead ratio (job / bare)**", `**${ratio.toFixed(2)}**`, ""],
      ]),
      "",
      `CPU time (ffmpeg children + the Node process, median): job ${cpuJob.toFixed(1)} s, bare ${cpuBare.toFixed(1)} s,`,
      `ratio ${(cpuJob / cpuBare).toFixed(2)}: the wall-time gain comes from running the renditions in parallel, not from doing less work.`,
      "",
      `Track: ${SECONDS} s stereo 44.1 kHz FLAC (two tones under pink noise). Bare commands: three`,
      "`ffmpeg -i src -c:a aac -b:a {64,128,256}k -movflags +empty_moov+default_base_moof+delay_moov+skip_trailer -frag_duration 4000000 out.mp4`,",
      "`ffmpeg -i src -af ebur128=peak=true -f null -` and `ffmpeg -i src -f s16le pipe:1` (waveform PCM).",
      "The job also downloads the source, probes it, indexes the fragments, writes the playlists and",
      "the waveform JSON, and PUTs every output over HTTP; it runs one ffmpeg per rendition in",
      "parallel (loudness and waveform ride along with the first), so on more than one core it is",
      "faster than the naive sequence. Wall times depend on what else runs on the machine (see the",
      "load average); the two sides are interleaved under the same conditions, so the ratios hold.",
      "",
    ].join("\n");
    const results = recordSection("## Transcoding", entry, { append: true });
    console.log(`appended to ${results}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
