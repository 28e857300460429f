// Catalog benchmark: seeds a local D1 with 10,000 tracks, 1,000 users and 500 playlists, starts the
// Worker with `wrangler dev --local` (unless a URL is given), and loads the track list, a track
// page, a profile and search (prefix and multi-word) with autocannon at 50 connections, next to
// the health route as the baseline. Prints p50/p99/req/s and each route's p99 over the baseline's,
// and records them under "## Catalog" in bench/RESULTS.md.
// Usage: node bench/catalog.ts [--url http://127.0.0.1:8787] [--seconds 10]
// With --url the Worker must already serve a database seeded by this script.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { runWrangler, StartedProcesses, startWranglerDev } from "../e2e/local-processes.ts";
import { loadLine, machineLine, recordSection, timestamp } from "./results-file.ts";

const root = path.resolve(import.meta.dirname, "..");
const persistDir = path.join(root, ".wrangler", "bench-catalog");
const seedDir = path.join(persistDir, "seed");

const USERS = 1000;
const TRACKS = 10_000;
const PLAYLISTS = 500;
const ENTRIES_PER_PLAYLIST = 20;
const CONNECTIONS = 50;

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const seconds = Number(option("seconds") ?? 10);

// A seeded generator, so every run builds the same catalog.
let state = 42;
function random(): number {
  state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
  return state / 2 ** 31;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const WORDS = [
  "love",
  "song",
  "night",
  "lonely",
  "light",
  "long",
  "road",
  "river",
  "dream",
  "fire",
  "heart",
  "summer",
  "winter",
  "blue",
  "golden",
  "shadow",
  "dance",
  "city",
  "ocean",
  "storm",
  "echo",
  "silver",
  "wild",
  "midnight",
  "rain",
  "star",
  "home",
  "ghost",
  "paper",
  "velvet",
  "morning",
  "electric",
  "lost",
  "slow",
  "moon",
  "sun",
  "radio",
  "glass",
  "wave",
];
const GENRES = ["rock", "pop", "jazz", "electronic", "hip hop", "folk", "classical", "ambient", "soul", "metal"];
const TAGS = ["chill", "live", "acoustic", "remix", "demo", "instrumental", "cover", "lofi", "vocal", "dance"];

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const title = (n: number) =>
  Array.from({ length: n }, () => pick(WORDS))
    .join(" ")
    .replace(/^./, (c) => c.toUpperCase());

function seedFiles(): string[] {
  const now = Date.now();
  const users = Array.from({ length: USERS }, (_, i) => ({ id: `benchuser${String(i).padStart(5, "0")}`, i }));
  const tracks: string[] = [];
  const chunks: string[][] = [];
  const statements: string[] = [];
  const flush = () => {
    if (statements.length) chunks.push(statements.splice(0));
  };

  for (let i = 0; i < USERS; i += 100) {
    const rows = users
      .slice(i, i + 100)
      .map(
        (u) =>
          `(${sqlString(u.id)}, 'bench${u.i}@example.test', 'bench_${u.i}', ${sqlString(`${pick(WORDS)} ${pick(WORDS)} ${u.i}`)}, 'not-a-password-hash', '${u.i % 5 === 0 ? "artist" : "listener"}', ${now - u.i * 1000}, ${now - u.i * 1000})`,
      );
    statements.push(
      `INSERT INTO users (id, email, username, display_name, password_hash, role, created_at, updated_at) VALUES ${rows.join(", ")};`,
    );
  }
  flush();

  for (let i = 0; i < TRACKS; i += 200) {
    const rows = [];
    for (let j = i; j < Math.min(i + 200, TRACKS); j++) {
      const id = `benchtrack${String(j).padStart(6, "0")}`;
      tracks.push(id);
      const owner = users[(j * 7) % (USERS / 5)]!.id; // 200 artists own the tracks
      const visibility = j % 20 === 0 ? "private" : j % 20 === 1 ? "unlisted" : "public";
      const tags = JSON.stringify([pick(TAGS), pick(TAGS)]);
      const created = now - (TRACKS - j) * 60_000;
      rows.push(
        `(${sqlString(id)}, ${sqlString(owner)}, ${sqlString(title(1 + Math.floor(random() * 4)))}, ${sqlString(`${pick(WORDS)} ${pick(WORDS)}`)}, ${sqlString(pick(GENRES))}, ${sqlString(tags)}, '${visibility}', 'ready', ${120_000 + Math.floor(random() * 240_000)}, ${created}, ${created}, ${Math.floor(random() ** 3 * 100_000)}, ${Math.floor(random() * 500)})`,
      );
    }
    statements.push(
      `INSERT INTO tracks (id, owner_id, title, artist, genre, tags, visibility, status, duration_ms, created_at, updated_at, play_count, like_count) VALUES ${rows.join(", ")};`,
    );
    if (statements.length >= 10) flush();
  }
  flush();

  for (let p = 0; p < PLAYLISTS; p++) {
    const id = `benchlist${String(p).padStart(5, "0")}`;
    const created = now - (PLAYLISTS - p) * 60_000;
    statements.push(
      `INSERT INTO playlists (id, owner_id, title, description, visibility, created_at, updated_at) VALUES (${sqlString(id)}, ${sqlString(users[p % USERS]!.id)}, ${sqlString(title(2))}, ${sqlString(title(5))}, 'public', ${created}, ${created});`,
    );
    const chosen = new Set<string>();
    while (chosen.size < ENTRIES_PER_PLAYLIST) chosen.add(pick(tracks));
    const entries = [...chosen].map((t, position) => `(${sqlString(id)}, ${sqlString(t)}, ${position}, ${created})`);
    statements.push(
      `INSERT INTO playlist_tracks (playlist_id, track_id, position, added_at) VALUES ${entries.join(", ")};`,
    );
  }
  flush();

  const follows = [];
  for (const u of users) {
    for (let k = 0; k < 5; k++) {
      const artist = users[Math.floor(random() * (USERS / 5)) * 5]!;
      if (artist.id !== u.id) follows.push(`(${sqlString(u.id)}, ${sqlString(artist.id)}, ${now - k})`);
    }
  }
  for (let i = 0; i < follows.length; i += 500) {
    statements.push(
      `INSERT OR IGNORE INTO follows (follower_id, followee_id, created_at) VALUES ${follows.slice(i, i + 500).join(", ")};`,
    );
  }
  flush();

  mkdirSync(seedDir, { recursive: true });
  return chunks.map((chunk, i) => {
    const file = path.join(seedDir, `seed-${String(i).padStart(3, "0")}.sql`);
    writeFileSync(file, chunk.join("\n"));
    return file;
  });
}

async function seed() {
  rmSync(persistDir, { recursive: true, force: true });
  console.log("applying migrations to a fresh local D1 in .wrangler/bench-catalog …");
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir]);
  const files = seedFiles();
  console.log(`seeding ${USERS} users, ${TRACKS} tracks, ${PLAYLISTS} playlists (${files.length} files) …`);
  for (const file of files)
    await runWrangler(["d1", "execute", "DB", "--local", "--persist-to", persistDir, "--file", file, "--yes"]);
}

type Route = { name: string; path: () => string };

const publicTrack = () => {
  let n = Math.floor(random() * TRACKS);
  if (n % 20 < 2) n += 2; // skip the private and unlisted ones
  return `benchtrack${String(n % TRACKS).padStart(6, "0")}`;
};

const routes: Route[] = [
  { name: "health (baseline)", path: () => "/api/v1/health" },
  { name: "track list", path: () => "/api/v1/tracks?limit=20" },
  { name: "track page", path: () => `/api/v1/tracks/${publicTrack()}` },
  { name: "profile", path: () => `/api/v1/users/bench_${Math.floor(random() * (USERS / 5)) * 5}` },
  { name: "search prefix", path: () => `/api/v1/search?q=${pick(WORDS).slice(0, 2)}` },
  { name: "search multi-word", path: () => `/api/v1/search?q=${pick(WORDS)}%20${pick(WORDS).slice(0, 3)}` },
];

type Result = { name: string; p50: number; p99: number; rps: number; errors: number };

async function load(url: string, route: Route): Promise<Result> {
  // Let the previous route's in-flight requests drain, then warm this route up once.
  await new Promise((r) => setTimeout(r, 3000));
  await fetch(`${url}${route.path()}`).then((r) => r.arrayBuffer());
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: "GET", setupRequest: (request: any) => ({ ...request, path: route.path() }) }],
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name: route.name, p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, errors };
}

function table(results: Result[]): string {
  const base = results[0]!;
  const lines = [
    "| route | p50 ms | p99 ms | req/s | p99 / baseline p99 | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.p50} | ${r.p99} | ${Math.round(r.rps)} | ${(r.p99 / base.p99).toFixed(2)}× | ${r.errors} |`,
    );
  }
  return lines.join("\n");
}

const started = new StartedProcesses();

async function main() {
  const givenUrl = option("url");
  if (!givenUrl) await seed();
  const worker = givenUrl
    ? undefined
    : await startWranglerDev({
        persistTo: persistDir,
        vars: {
          JWT_SECRET: "bench-jwt-secret-0123456789abcdef0123456789",
          STREAM_SIGNING_KEY: "bench-stream-signing-key-0123456789abcdef",
          TRANSCODER_SECRET: "bench-transcoder-secret-0123456789abcdef",
        },
        readyPath: "/api/v1/health",
        timeoutMs: 60_000,
        echoStderr: true,
      });
  if (worker) started.addWorker(worker);
  const url = givenUrl ?? worker!.url;
  const results: Result[] = [];
  for (const route of routes) {
    process.stdout.write(`loading ${route.name} for ${seconds} s … `);
    const r = await load(url, route);
    console.log(`p99 ${r.p99} ms`);
    results.push(r);
  }
  const output = table(results);
  console.log(`\n${output}\n`);
  const worst = Math.max(...results.slice(1).map((r) => r.p99 / results[0]!.p99));
  const summary = [
    `${USERS} users, ${TRACKS} tracks (10% private or unlisted), ${PLAYLISTS} playlists of ${ENTRIES_PER_PLAYLIST}, ${CONNECTIONS} connections, ${seconds} s per route, \`wrangler dev --local\`.`,
    `Command: \`node bench/catalog.ts\`${givenUrl ? ` (against ${givenUrl})` : ""} — ${timestamp()}, ${machineLine()}, load average at the end ${loadLine()}.`,
    "",
    output,
    "",
    `Worst route p99 is ${worst.toFixed(2)}× the health baseline's (aim: within 3×).`,
  ].join("\n");
  recordSection("## Catalog", summary);
}

await started.run(main);
