// Streaming benchmark: random 64 KiB range seeks (1 and 50 concurrent clients) and full downloads of
// a 50 MB object, against three servers in one run:
//   - the app's signed stream path under `wrangler dev --local` (as `npm start` runs it), on the R2
//     path (a private original) and on the edge-cache path (a public rendition);
//   - a minimal Worker that only does MEDIA.get(key, {range}) on the same local runtime and R2 state
//     (the platform's floor);
//   - nginx serving the same bytes from disk on loopback (the physical reference).
// Usage: node bench/stream.ts [--quick]   (appends its figures under "## Streaming" in bench/RESULTS.md)
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { verifyEmailThroughOutbox } from "../e2e/api.ts";
import { freePort, runWrangler, StartedProcesses, startWranglerDev, waitForHttp } from "../e2e/local-processes.ts";
import { loadLine, machineLine, recordSection, timestamp } from "./results-file.ts";

const NGINX = "/usr/sbin/nginx";
/** `--quick`: a small object and few requests, to check the benchmark still runs (its figures mean little). */
const QUICK = process.argv.includes("--quick");
const SIZE = QUICK ? 5_000_000 : 50_000_000;
const SEEK = 64 * 1024;
const ROUNDS = QUICK ? 1 : 4;
const SEEKS = QUICK ? { 1: 20, 50: 100 } : ({ 1: 400, 50: 2000 } as const);
const DOWNLOADS = QUICK ? { 1: 2, 4: 4 } : ({ 1: 8, 4: 16 } as const);

const started = new StartedProcesses();
const temp = mkdtempSync(path.join(os.tmpdir(), "veza-bench-stream-"));
const stateDir = path.join(temp, "state");
const wwwDir = path.join(temp, "www");

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A WAV header (so the upload passes sniffing) over pseudo-random bytes: nothing compresses or repeats. */
function makeObject(): Buffer {
  const bytes = randomBytes(SIZE);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(SIZE - 8, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(44100, 24);
  header.writeUInt32LE(44100 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(SIZE - 44, 40);
  header.copy(bytes);
  return bytes;
}

async function startWorker(config: string, port: number, vars: Record<string, string>, readyPath: string) {
  const worker = await startWranglerDev({ config, port, persistTo: stateDir, vars, readyPath });
  started.addWorker(worker);
  return worker.url;
}

async function startNginx(port: number) {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install nginx (\`apt-get install nginx-light\`)`);
  const conf = path.join(temp, "nginx.conf");
  writeFileSync(
    conf,
    `daemon off;
worker_processes auto;
pid ${temp}/nginx.pid;
error_log ${temp}/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path ${temp}/nginx-body;
  proxy_temp_path ${temp}/nginx-proxy;
  fastcgi_temp_path ${temp}/nginx-fastcgi;
  uwsgi_temp_path ${temp}/nginx-uwsgi;
  scgi_temp_path ${temp}/nginx-scgi;
  types { audio/wav wav; }
  server {
    listen 127.0.0.1:${port};
    root ${wwwDir};
  }
}
`,
  );
  const child = spawn(NGINX, ["-c", conf, "-p", temp, "-e", `${temp}/nginx-error.log`], { stdio: "pipe" });
  started.addChild(child, "SIGQUIT");
  let output = "";
  child.stderr?.on("data", (d) => (output += d));
  await waitForHttp(`http://127.0.0.1:${port}/object.wav`, child, () => output, 10_000);
  return `http://127.0.0.1:${port}/object.wav`;
}

async function api(
  base: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; raw?: Buffer } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.raw) headers["content-type"] = "application/octet-stream";
  const response = await fetch(base + route, {
    method,
    headers,
    body: options.raw
      ? new Uint8Array(options.raw)
      : options.body === undefined
        ? undefined
        : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Through the product's own API: sign up, upload the object in parts (the track is then processing). */
async function uploadThroughApi(base: string, object: Buffer) {
  const tag = Date.now().toString(36);
  const email = `bench${tag}@example.test`;
  const { accessToken } = await api(base, "POST", "/api/v1/auth/register", {
    body: { email, username: `bench${tag}`, password: "benchmark password 123" },
  });
  await verifyEmailThroughOutbox(base, email);
  const created = await api(base, "POST", "/api/v1/uploads", {
    token: accessToken,
    body: { filename: "bench.wav", size: object.length, contentType: "audio/wav", title: "Benchmark" },
  });
  for (let n = 1; n <= created.partCount; n++) {
    const raw = object.subarray((n - 1) * created.partSize, n * created.partSize);
    await api(base, "PUT", `/api/v1/uploads/${created.uploadId}/parts/${n}`, { token: accessToken, raw });
  }
  await api(base, "POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: accessToken });
  return { trackId: created.trackId as string, token: accessToken as string };
}

/** The owner's signed URL of the original (served once the track is ready). */
async function originalUrlOf(base: string, trackId: string, token: string) {
  const stream = await api(base, "GET", `/api/v1/tracks/${trackId}/stream?quality=original`, { token });
  return base + stream.url;
}

/** Stands in for a finished transcode: the same bytes as a public `high` rendition of a ready track. */
async function publishRendition(base: string, trackId: string) {
  const file = path.join(wwwDir, "object.wav");
  await runWrangler(
    ["r2", "object", "put", `veza-media/tracks/${trackId}/renditions/high.mp4`, "--file", file].concat([
      "--content-type",
      "audio/mp4",
      "--local",
      "--persist-to",
      stateDir,
    ]),
  );
  const rendition = JSON.stringify([
    {
      quality: "high",
      bitrateKbps: 256,
      file: "high.mp4",
      playlist: "high.m3u8",
      bytes: SIZE,
      mimeType: "audio/mp4",
      codecs: "mp4a.40.2",
    },
  ]);
  const sql = [
    `UPDATE tracks SET status = 'ready', visibility = 'public' WHERE id = '${trackId}';`,
    "INSERT INTO track_outputs (track_id, renditions, hls_master, waveform_file, integrated_lufs, true_peak_dbtp,",
    " loudness_range, gain_db, source_format, source_codec, source_sample_rate, source_channels, tags, completed_at)",
    ` VALUES ('${trackId}', '${rendition}', 'master.m3u8', 'waveform.json', -14, -1, 5, 0, 'wav', 'pcm_s16le',`,
    ` 44100, 2, '{}', ${Date.now()});`,
  ].join("");
  await runWrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--command", sql]);
  const stream = await api(base, "GET", `/api/v1/tracks/${trackId}/stream?quality=high`);
  if (!stream.url.includes("/gp")) throw new Error(`expected a public rendition URL, got ${stream.url}`);
  return base + stream.url;
}

type Sample = { ms: number; bytes: number; status: number; body?: Buffer; cache?: string };

function request(agent: http.Agent, url: string, headers: Record<string, string>, keep = false): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        response.on("end", () =>
          resolve({
            ms: performance.now() - started,
            bytes,
            status: response.statusCode ?? 0,
            ...(keep ? { body: Buffer.concat(chunks) } : {}),
            cache: String(response.headers["x-media-cache"] ?? ""),
          }),
        );
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

async function pool(concurrency: number, total: number, task: (agent: http.Agent) => Promise<Sample>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        samples.push(await task(agent));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { samples, seconds };
}

const randomOffset = () => Math.floor(Math.random() * (SIZE - SEEK));
const seekHeaders = (offset: number) => ({ range: `bytes=${offset}-${offset + SEEK - 1}` });

async function checkBytes(name: string, url: string, object: Buffer) {
  const agent = new http.Agent({ keepAlive: true });
  for (let i = 0; i < 5; i++) {
    const offset = randomOffset();
    const sample = await request(agent, url, seekHeaders(offset), true);
    if (sample.status !== 206 || !sample.body?.equals(object.subarray(offset, offset + SEEK))) {
      throw new Error(`${name}: seek at ${offset} returned ${sample.status} with the wrong bytes`);
    }
  }
  const full = await request(agent, url, {}, true);
  const digest = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  if (full.status !== 200 || digest(full.body!) !== digest(object)) throw new Error(`${name}: full download differs`);
  agent.destroy();
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

type Row = { server: string; scenario: string; p50: number; p99: number; rps: number; mbps: number };

type Scenario = {
  name: string;
  concurrency: number;
  perRound: number;
  status: number;
  headers: () => Record<string, string>;
};

const scenarios: Scenario[] = [
  ...Object.entries(SEEKS).map(([c, total]) => ({
    name: `seek 64 KiB, c=${c}`,
    concurrency: Number(c),
    perRound: total / ROUNDS,
    status: 206,
    headers: () => seekHeaders(randomOffset()),
  })),
  ...Object.entries(DOWNLOADS).map(([c, total]) => ({
    name: `full ${SIZE / 1e6} MB, c=${c}`,
    concurrency: Number(c),
    perRound: total / ROUNDS,
    status: 200,
    headers: () => ({}),
  })),
];

/**
 * The machine is shared, so load drifts: each scenario runs in ROUNDS rounds, and every round
 * visits every server (in a rotating order), so drift spreads evenly over the servers compared.
 */
async function measureAll(targets: Array<[string, string]>): Promise<Row[]> {
  for (const [, url] of targets) await pool(4, 40, (agent) => request(agent, url, seekHeaders(randomOffset())));
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    log(scenario.name);
    const totals = targets.map(() => ({ samples: [] as Sample[], seconds: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < targets.length; k++) {
        const i = (k + round) % targets.length;
        const { samples, seconds } = await pool(scenario.concurrency, scenario.perRound, (agent) =>
          request(agent, targets[i]![1], scenario.headers()),
        );
        totals[i]!.samples.push(...samples);
        totals[i]!.seconds += seconds;
      }
    }
    for (const [i, [name]] of targets.entries()) {
      rows.push(summarise(name, scenario.name, totals[i]!.samples, totals[i]!.seconds, scenario.status));
    }
  }
  return rows;
}

function summarise(server: string, scenario: string, samples: Sample[], seconds: number, status: number): Row {
  const bad = samples.filter((s) => s.status !== status);
  if (bad.length > 0)
    throw new Error(`${server} ${scenario}: ${bad.length} responses were ${bad[0]!.status}, not ${status}`);
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const bytes = samples.reduce((sum, s) => sum + s.bytes, 0);
  return {
    server,
    scenario,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    rps: samples.length / seconds,
    mbps: bytes / 1e6 / seconds,
  };
}

const fmt = (n: number, digits = 2) => (n >= 100 ? n.toFixed(0) : n.toFixed(digits));

function report(rows: Row[]): string {
  const lines = ["| server | scenario | p50 ms | p99 ms | req/s | MB/s |", "| --- | --- | ---: | ---: | ---: | ---: |"];
  for (const r of rows)
    lines.push(
      `| ${r.server} | ${r.scenario} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.rps, 1)} | ${fmt(r.mbps, 1)} |`,
    );
  const find = (server: string, scenario: string) => rows.find((r) => r.server === server && r.scenario === scenario)!;
  lines.push("", "Ratios (p50 latency; throughput ratio in brackets, >1 means the first is slower):", "");
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const pairs: Array<[string, string]> = [
    ["stream route (R2)", "minimal Worker"],
    ["stream route (edge cache)", "minimal Worker"],
    ["minimal Worker", "nginx"],
    ["stream route (R2)", "nginx"],
  ];
  for (const [a, b] of pairs) {
    const parts = scenarios.map((s) => {
      const [x, y] = [find(a, s), find(b, s)];
      return `${s}: ${fmt(x.p50 / y.p50)}× (${fmt(y.mbps / x.mbps)}×)`;
    });
    lines.push(`- ${a} / ${b} — ${parts.join("; ")}`);
  }
  return lines.join("\n");
}

function recordResults(table: string) {
  const body = [
    `Command: \`node bench/stream.ts\` — ${timestamp()}, ${machineLine()}.`,
    `A ${SIZE / 1e6} MB object; seeks are random 64 KiB ranges, full downloads read the whole object; latency is to`,
    `the last byte. Each scenario runs in ${ROUNDS} rounds that visit every server in turn (the machine is shared;`,
    `load average at the end: ${loadLine()}).`,
    "",
    "- stream route (R2): the signed-URL path of a private original, read from R2 on every request (no D1 read).",
    "- stream route (edge cache): the signed-URL path of a public rendition, answered by the Cache API.",
    "- minimal Worker: `bench/minimal-worker/`, only `MEDIA.get(key, {range})`, same runtime and R2 state.",
    "- The app is a Worker with `[assets]`: `wrangler dev` routes each of its requests through the static-assets",
    "  router first, a hop the minimal Worker does not have; part of the stream route's gap is that hop.",
    "",
    table,
  ].join("\n");
  recordSection("## Streaming", body);
}

async function main() {
  mkdirSync(wwwDir, { recursive: true });
  chmodSync(temp, 0o755); // nginx workers run as an unprivileged user when started by root
  log(`state in ${temp}`);
  const object = makeObject();
  writeFileSync(path.join(wwwDir, "object.wav"), object);

  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
  const [appPort, minimalPort, nginxPort] = [await freePort(), await freePort(), await freePort()];
  log("starting the app (wrangler dev --local)");
  const app = await startWorker(
    "wrangler.toml",
    appPort,
    {
      ENVIRONMENT: "development", // mail stays in the outbox, where the uploader verifies its address
      JWT_SECRET: "bench-jwt-secret-0123456789abcdef0123456789",
      STREAM_SIGNING_KEY: randomBytes(32).toString("hex"),
      TRANSCODER_SECRET: randomBytes(32).toString("hex"),
      TRANSCODER_URL: "http://127.0.0.1:9", // nothing transcodes during the benchmark
      PUBLIC_BASE_URL: `http://127.0.0.1:${appPort}`,
      TRANSCODE_RETRY_BASE_SECONDS: "3600",
    },
    "/api/v1/health",
  );
  log("uploading the 50 MB object through the API");
  const { trackId, token } = await uploadThroughApi(app, object);
  const renditionUrl = await publishRendition(app, trackId);
  const originalUrl = await originalUrlOf(app, trackId, token);
  log("starting the minimal Worker and nginx");
  const minimal = await startWorker("bench/minimal-worker/wrangler.toml", minimalPort, {}, "/ready");
  const minimalUrl = `${minimal}/tracks/${trackId}/original`;
  const nginxUrl = await startNginx(nginxPort);

  const targets: Array<[string, string]> = [
    ["nginx", nginxUrl],
    ["minimal Worker", minimalUrl],
    ["stream route (R2)", originalUrl],
    ["stream route (edge cache)", renditionUrl],
  ];
  for (const [name, url] of targets) await checkBytes(name, url, object);
  // The first request filled the edge cache in the background; wait until it answers.
  const agent = new http.Agent({ keepAlive: true });
  for (let i = 0; ; i++) {
    const hit = await request(agent, renditionUrl, seekHeaders(0));
    if (hit.cache === "hit") break;
    if (i > 200) throw new Error("the edge cache never filled");
    await new Promise((r) => setTimeout(r, 100));
  }
  agent.destroy();

  const rows = await measureAll(targets);
  rows.sort((a, b) => targets.findIndex(([n]) => n === a.server) - targets.findIndex(([n]) => n === b.server));
  const table = report(rows);
  console.log(table);
  recordResults(table);
}

started.add(() => rmSync(temp, { recursive: true, force: true }));
await started.run(main);
