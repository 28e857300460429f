// Soak test: the product started locally as `npm start` runs it (transcoder process + `wrangler dev
// --local`, through e2e/server.ts) gets mixed traffic from a few users — browse, search, stream
// with range seeks, play reports, chat messages over WebSocket, and uploads of generated audio
// through the real transcoder. First a short capacity probe (closed loop at rising concurrency),
// then the soak itself at about half the measured capacity (open loop). At the end it checks:
//   - no answer of 5xx and no failed connection, over every request;
//   - no lost play: each track's play count equals the counted play reports sent;
//   - no lost chat message: every acknowledged message is in the room's history;
//   - memory: RSS of every process it started, sampled every 5 s; the trend after a warm-up
//     (the first fifth of the soak) must be flat (first/last/max and the slope are printed).
// Loopback only; every process it starts is stopped, also on failure or Ctrl-C.
// Usage: npm run build:web && node bench/soak.ts [--minutes 10] [--probe-seconds 8] [--upload-every 30]
//   [--ops browse,search,stream,play,chat] (a narrower mix, to find which operation memory follows)
//   (SOAK_MINUTES works too). Writes its figures under "## Soak" in bench/RESULTS.md
//   (BENCH_RESULTS_FILE=<file> to write elsewhere, e.g. for a short try).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { StartedProcesses } from "../e2e/local-processes.ts";
import { startStack } from "../e2e/server.ts";
import { machineLine, recordSection, timestamp } from "./results-file.ts";
import { ChatRoomClients } from "./soak/chat.ts";
import { Http, HttpStats, User } from "./soak/http.ts";
import { type MemorySample, ROLES, type Role, sampleMemory, type Trend, trendOf } from "./soak/memory.ts";
import { MIX, OPS, type Op, Traffic } from "./soak/traffic.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const value = Number(i >= 0 ? args[i + 1] : undefined);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const MINUTES = option("minutes", Number(process.env.SOAK_MINUTES) || 10);
const PROBE_SECONDS = option("probe-seconds", 8);
const UPLOAD_EVERY_MS = option("upload-every", 30) * 1000;
/** `--ops stream,chat`: only these operations (with their usual shares); all by default. */
const ONLY_OPS = (() => {
  const i = args.indexOf("--ops");
  return i >= 0
    ? (args[i + 1] ?? "").split(",").filter((op): op is Op => (OPS as readonly string[]).includes(op))
    : [...OPS];
})();
const USERS = 10;
const UPLOADERS = 2;
const INITIAL_TRACKS = 6;
const PROBE_LEVELS = [2, 4, 8, 16, 32];
const MAX_IN_FLIGHT = 64;
const SAMPLE_EVERY_MS = 5_000;
const PROGRESS_EVERY_MS = 30_000;

const root = path.resolve(import.meta.dirname, "..");
const scratch = mkdtempSync(path.join(os.tmpdir(), "veza-soak-"));
const started = new StartedProcesses();
function log(message: string): void {
  process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** Closed loop: `concurrency` loops doing one operation after another for `seconds`; returns ops/s. */
async function closedLoop(traffic: Traffic, concurrency: number, seconds: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await traffic.one();
        done++;
      }
    }),
  );
  return done / ((performance.now() - begin) / 1000);
}

async function probeCapacity(traffic: Traffic): Promise<{ capacity: number; levels: string[] }> {
  let best = 0;
  const levels: string[] = [];
  for (const [i, concurrency] of PROBE_LEVELS.entries()) {
    const rate = await closedLoop(traffic, concurrency, PROBE_SECONDS);
    levels.push(`${concurrency} → ${rate.toFixed(1)} ops/s`);
    log(`probe: ${concurrency} concurrent → ${rate.toFixed(1)} ops/s`);
    const saturated = i >= 2 && rate < best * 1.1;
    best = Math.max(best, rate);
    if (saturated) break;
  }
  return { capacity: best, levels };
}

type SoakRun = { seconds: number; rate: number; ops: number; behind: number; latencies: Map<Op, number[]> };

/** Open loop: operations started at `rate` per second for `seconds`, at most MAX_IN_FLIGHT at once. */
async function soak(traffic: Traffic, rate: number, seconds: number, uploads: Set<Promise<void>>): Promise<SoakRun> {
  const latencies = new Map<Op, number[]>(OPS.map((op) => [op, []]));
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  let behind = 0;
  let uploadsIssued = 0;
  const begin = performance.now();
  let nextProgress = begin + PROGRESS_EVERY_MS;
  let nextUpload = begin + UPLOAD_EVERY_MS / 2;
  while (performance.now() - begin < seconds * 1000) {
    const now = performance.now();
    const due = Math.floor(((now - begin) / 1000) * rate);
    while (issued < due) {
      issued++;
      if (inFlight.size >= MAX_IN_FLIGHT) {
        behind++;
        continue;
      }
      const t0 = performance.now();
      const op: Promise<void> = traffic.one().then((kind) => {
        latencies.get(kind)?.push(performance.now() - t0);
        inFlight.delete(op);
      });
      inFlight.add(op);
    }
    if (now >= nextUpload) {
      nextUpload += UPLOAD_EVERY_MS;
      const upload: Promise<void> = traffic
        .upload(INITIAL_TRACKS + uploadsIssued++)
        .catch((error) => log(`upload failed: ${error instanceof Error ? error.message : error}`))
        .finally(() => {
          uploads.delete(upload);
        });
      uploads.add(upload);
    }
    if (now >= nextProgress) {
      nextProgress += PROGRESS_EVERY_MS;
      const m = sampleMemory();
      log(
        `${((now - begin) / 1000).toFixed(0)} s: ${issued} ops issued, ${inFlight.size} in flight, ${behind} behind, ` +
          `${traffic.tracks.length} tracks, 5xx ${httpStats.serverErrors}, workerd ${m.mib.workerd.toFixed(0)} MiB, load ${m.load1.toFixed(1)}`,
      );
    }
    await sleep(20);
  }
  const drainUntil = performance.now() + 60_000;
  while (inFlight.size > 0 && performance.now() < drainUntil) await sleep(100);
  return { seconds: (performance.now() - begin) / 1000, rate, ops: issued - behind, behind, latencies };
}

/** Waits until every track's play count equals the counted reports sent (the queue settles in seconds). */
async function verifyPlays(http: Http, traffic: Traffic, user: User) {
  const deadline = Date.now() + 120_000;
  let counts = new Map<string, number>();
  for (;;) {
    counts = new Map();
    for (const track of traffic.tracks) {
      const body = await http.json("verify", "GET", `/api/v1/tracks/${track.id}`, 200, { token: await user.token() });
      counts.set(track.id, body.playCount);
    }
    const settled = traffic.tracks.every((t) => counts.get(t.id) === (traffic.playsSent.get(t.id) ?? 0));
    if (settled || Date.now() > deadline) break;
    await sleep(2_000);
  }
  let sent = 0;
  let counted = 0;
  const wrong: string[] = [];
  for (const track of traffic.tracks) {
    const expected = traffic.playsSent.get(track.id) ?? 0;
    const actual = counts.get(track.id) ?? 0;
    sent += expected;
    counted += actual;
    if (actual !== expected) wrong.push(`${track.id}: sent ${expected}, counted ${actual}`);
  }
  return { sent, counted, wrong };
}

function trends(samples: MemorySample[], from: number, to: number, warmupMs: number) {
  const window = samples.filter((s) => s.at >= from && s.at <= to);
  const times = window.map((s) => s.at);
  const rows = new Map<Role | "total", Trend>();
  for (const role of ROLES) {
    if (role === "ffmpeg" || role === "other") continue;
    rows.set(
      role,
      trendOf(
        times,
        window.map((s) => s.mib[role]),
        warmupMs,
      ),
    );
  }
  rows.set(
    "total",
    trendOf(
      times,
      window.map((s) => ROLES.filter((r) => r !== "ffmpeg").reduce((sum, r) => sum + s.mib[r], 0)),
      warmupMs,
    ),
  );
  const loads = window.map((s) => s.load1);
  return {
    rows,
    ffmpegMax: Math.max(0, ...window.map((s) => s.mib.ffmpeg)),
    load: { min: Math.min(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length, max: Math.max(...loads) },
    count: window.length,
  };
}

const httpStats = new HttpStats();

async function main() {
  if (!existsSync(path.join(root, "web/dist/index.html")))
    throw new Error("web/dist is missing: run `npm run build:web` first");
  const samples: MemorySample[] = [];
  const sampler = setInterval(() => samples.push(sampleMemory()), SAMPLE_EVERY_MS);
  started.add(() => clearInterval(sampler));

  log(`starting the transcoder and wrangler dev (state in a temporary directory); soak of ${MINUTES} min`);
  const stack = await startStack();
  started.add(() => stack.stop());
  const http = new Http(stack.baseUrl, httpStats);

  const tag = Date.now().toString(36).slice(-5);
  const users: User[] = [];
  for (let i = 0; i < USERS; i++) users.push(await User.register(http, `soak${i}_${tag}`));
  const room = await http.json("setup", "POST", "/api/v1/rooms", 201, {
    token: await users[0]!.token(),
    json: { name: `Soak ${tag}`, kind: "public" },
  });
  const chat = new ChatRoomClients(http, room.id, users);
  started.add(() => chat.close());
  await chat.connect();
  const traffic = new Traffic(http, users, users.slice(0, UPLOADERS), chat, scratch);
  traffic.mix = Object.fromEntries(OPS.map((op) => [op, ONLY_OPS.includes(op) ? MIX[op] : 0])) as Record<Op, number>;

  log(`uploading ${INITIAL_TRACKS} tracks through the transcoder`);
  for (let i = 0; i < INITIAL_TRACKS; i += 2) await Promise.all([traffic.upload(i), traffic.upload(i + 1)]);
  if (traffic.tracks.length < INITIAL_TRACKS)
    throw new Error(
      `only ${traffic.tracks.length} of ${INITIAL_TRACKS} tracks became ready: ${JSON.stringify(traffic.uploads)}`,
    );

  log("capacity probe");
  const probe = await probeCapacity(traffic);
  const rate = probe.capacity / 2;
  log(`capacity ${probe.capacity.toFixed(1)} ops/s; soaking at ${rate.toFixed(1)} ops/s for ${MINUTES} min`);

  const uploads = new Set<Promise<void>>();
  const soakStart = Date.now();
  samples.push(sampleMemory());
  const result = await soak(traffic, rate, MINUTES * 60, uploads);
  samples.push(sampleMemory());
  const soakEnd = Date.now();
  log("traffic stopped; waiting for uploads still processing (at most 2 min)");
  await Promise.race([Promise.allSettled([...uploads]), sleep(120_000)]);

  log("checking play counts and chat history");
  const plays = await verifyPlays(http, traffic, users[0]!);
  const history = await chat.historyIds(users[0]!);
  const lostMessages = [...chat.stats.ackedIds].filter((id) => !history.has(id));
  chat.close();

  const memory = trends(samples, soakStart, soakEnd, (soakEnd - soakStart) / 5);
  const failures: string[] = [];
  if (httpStats.serverErrors > 0) failures.push(`${httpStats.serverErrors} answers of 5xx`);
  if (httpStats.networkErrors > 0) failures.push(`${httpStats.networkErrors} failed connections`);
  if (plays.wrong.length > 0) failures.push(`play counts differ on ${plays.wrong.length} tracks`);
  if (traffic.playsNotCounted > 0) failures.push(`${traffic.playsNotCounted} full listens were not counted`);
  if (lostMessages.length > 0) failures.push(`${lostMessages.length} acknowledged chat messages missing from history`);
  if (chat.stats.timeouts > 0) failures.push(`${chat.stats.timeouts} chat messages never acknowledged`);
  if (traffic.uploads.failed > 0) failures.push(`${traffic.uploads.failed} uploads failed to transcode`);
  for (const [role, t] of memory.rows) if (!t.flat) failures.push(`${role} memory kept growing`);

  const mib = (n: number) => n.toFixed(0);
  const lat = (op: Op) => {
    const values = result.latencies.get(op) ?? [];
    return values.length ? `${quantile(values, 0.5).toFixed(0)} / ${quantile(values, 0.99).toFixed(0)}` : "–";
  };
  const statusLine = [...httpStats.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ");
  const lines = [
    `Command: \`npm run build:web && node bench/soak.ts ${args.join(" ") || `--minutes ${MINUTES}`}\` — ${timestamp()}, ${machineLine()}.`,
    `Load average (1 min) during the soak: min ${memory.load.min.toFixed(1)}, mean ${memory.load.mean.toFixed(1)}, max ${memory.load.max.toFixed(1)}`,
    "(the machine is shared with other engineers' test runs, and the clients run on it too).",
    "",
    `${USERS} users (${UPLOADERS} upload), one public chat room with a socket per user, ${INITIAL_TRACKS} tracks uploaded and transcoded first.`,
    `Capacity probe (closed loop, ${PROBE_SECONDS} s per level): ${probe.levels.join(", ")}; capacity ${probe.capacity.toFixed(1)} ops/s.`,
    `Soak: ${(result.seconds / 60).toFixed(1)} min at ${rate.toFixed(1)} ops/s (half the capacity), open loop: ${result.ops} operations` +
      ` (${result.behind} skipped because ${MAX_IN_FLIGHT} were already in flight), one upload every ${UPLOAD_EVERY_MS / 1000} s.`,
    "",
    "| operation | done | failed | p50 / p99 ms |",
    "| --- | ---: | ---: | ---: |",
    ...OPS.map((op) => `| ${op} | ${traffic.done.get(op)} | ${traffic.failed.get(op)} | ${lat(op)} |`),
    "",
    `- HTTP: ${httpStats.requests} requests; by status ${statusLine}; **5xx: ${httpStats.serverErrors}**, failed connections: ${httpStats.networkErrors}.`,
    `  Unexpected answers: ${httpStats.unexpected.size ? [...httpStats.unexpected].map(([k, n]) => `${k} ×${n}`).join(", ") : "none"}.`,
    `- Plays: ${plays.sent} counted reports sent over ${traffic.tracks.length} tracks, ${plays.counted} counted in the play counts` +
      ` (**lost: ${Math.max(0, plays.sent - plays.counted)}**, extra: ${Math.max(0, plays.counted - plays.sent)}); full listens not counted: ${traffic.playsNotCounted}.`,
    `- Chat: ${chat.stats.sent} sent, ${chat.stats.acked} acknowledged (p50 / p99 ${quantile(chat.stats.ackMs, 0.5).toFixed(0)} / ${quantile(chat.stats.ackMs, 0.99).toFixed(0)} ms),` +
      ` ${history.size} in the history; **acknowledged but missing: ${lostMessages.length}**; never acknowledged: ${chat.stats.timeouts};` +
      ` refused: ${chat.stats.errors.size ? [...chat.stats.errors].map(([k, n]) => `${k} ×${n}`).join(", ") : "none"}; reconnects: ${chat.stats.reconnects}${chat.stats.closeCodes.size ? ` (close codes ${[...chat.stats.closeCodes].map(([k, n]) => `${k} ×${n}`).join(", ")})` : ""}.`,
    `- Uploads: ${traffic.uploads.started} started, ${traffic.uploads.ready} transcoded and played, ${traffic.uploads.failed} failed,` +
      ` ${traffic.uploads.processing} still processing at the end, ${traffic.uploads.refused} refused.`,
    "",
    `Memory (RSS, MiB; ${memory.count} samples every ${SAMPLE_EVERY_MS / 1000} s over the soak; the trend is fitted after the first fifth, the warm-up;`,
    "flat = fitted growth after the warm-up under 10 % of the level and under 32 MiB):",
    "",
    "| process | first | last | max | slope MiB/min | growth after warm-up | trend |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...[...memory.rows].map(
      ([role, t]) =>
        `| ${role} | ${mib(t.first)} | ${mib(t.last)} | ${mib(t.max)} | ${t.slopePerMinute.toFixed(2)} | ${(t.growthShare * 100).toFixed(1)} % | ${t.flat ? "flat" : "**growing**"} |`,
    ),
    "",
    `workerd is the runtime under \`wrangler dev\` (Worker, Durable Objects, local D1/R2/queues); wrangler its Node parent; transcoder the`,
    `Node server (its ffmpeg children, at most ${mib(memory.ffmpegMax)} MiB together, come and go with each job and are left out).`,
    "",
    failures.length === 0 ? "**Result: pass.**" : `**Result: FAIL** — ${failures.join("; ")}.`,
  ];
  if (httpStats.examples.length > 0) {
    lines.push(
      "",
      "First failures:",
      ...httpStats.examples.map((f) => `- ${f.op} ${f.method} ${f.path}: ${f.status} ${f.detail}`),
    );
  }
  if (plays.wrong.length > 0)
    lines.push("", "Play counts that differ:", ...plays.wrong.slice(0, 10).map((w) => `- ${w}`));
  const report = lines.join("\n");
  console.log(`\n${report}\n`);
  const file = recordSection("## Soak", report);
  log(`recorded under "## Soak" in ${path.relative(root, file) || file}`);
  if (failures.length > 0) process.exitCode = 1;
}

started.add(() => rmSync(scratch, { recursive: true, force: true }));
await started.run(main);
