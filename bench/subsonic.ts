// Subsonic benchmark: one generated library (200 tracks in 20 albums by 5 artists, 20 s AAC files
// made with ffmpeg) served side by side on loopback by Veza (`wrangler dev --local`, the /rest API
// over D1 and R2) and by Supysonic (Debian's Python Subsonic server under waitress, reading the
// same files from disk). Both get the same four calls a client makes: getAlbumList2, search3,
// getAlbum and a ranged stream (the first 64 KiB of a song, as a player starts). Prints p50/p99
// latency and req/s per server and the ratios, and records them under "## Subsonic" in RESULTS.md.
// Both are called with `p=` (password) auth: Supysonic accepts nothing else.
// Usage: node bench/subsonic.ts [--seconds 8] [--connections 10]
// Needs ffmpeg and Supysonic (`apt-get install supysonic python3-waitress`; installed here when
// missing and running as root). Stops everything it started, also on failure.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import {
  freePort,
  runWrangler,
  StartedProcesses,
  startWranglerDev,
  type WranglerDev,
  waitForHttp,
} from "../e2e/local-processes.ts";
import { hmacSign, seal } from "../workers/shared/crypto.ts";
import { loadLine, machineLine, recordSection, timestamp } from "./results-file.ts";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = option("seconds", 8);
const CONNECTIONS = option("connections", 10);
const ARTISTS = 5;
const ALBUMS_PER_ARTIST = 4;
const TRACKS_PER_ALBUM = 10;
const TRACK_SECONDS = 20;
const RANGE = "bytes=0-65535";
const GENRES = ["rock", "jazz", "folk", "ambient", "soul"];
const WORDS = ["river", "night", "golden", "echo", "paper", "velvet", "storm", "glass", "ocean", "ember"];

const USERNAME = "bench";
const PASSWORD = "bench-app-password-0123456789";
const SECRETS = {
  JWT_SECRET: "bench-jwt-secret-0123456789abcdef0123456789",
  STREAM_SIGNING_KEY: "bench-stream-signing-key-0123456789abcdef",
  APP_PASSWORD_KEY: "bench-app-password-key-0123456789abcdef",
  TRANSCODER_SECRET: "bench-transcoder-secret-0123456789abcdef",
};

type Song = { id: string; title: string; file: string; size: number; album: number; position: number };
type Album = { id: string; title: string; artist: number; genre: string; year: number };

const work = mkdtempSync(path.join(tmpdir(), "veza-bench-subsonic-"));
const musicDir = path.join(work, "music");
const started = new StartedProcesses();

function ensureSupysonic() {
  const has = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
  const waitress = spawnSync("dpkg-query", ["-W", "-f=\u0024{Status}", "python3-waitress"]).stdout?.toString() ?? "";
  if (has("supysonic-server") && has("supysonic-cli") && waitress.includes("install ok installed")) return;
  const install = "apt-get install -y supysonic python3-waitress";
  if (process.getuid?.() !== 0) throw new Error(`Supysonic is missing: run \`sudo ${install}\` and try again.`);
  console.log(`installing Supysonic: ${install}`);
  const result = spawnSync("sh", ["-c", `DEBIAN_FRONTEND=noninteractive ${install}`], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`could not install Supysonic (\`${install}\` failed)`);
}

/** One 20 s AAC file, then one copy per song with its own tags (a remux, no re-encode). */
function generateLibrary(): { albums: Album[]; songs: Song[] } {
  const base = path.join(work, "base.m4a");
  execFileSync("ffmpeg", [
    "-loglevel",
    "error",
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=330:duration=${TRACK_SECONDS}`,
    "-c:a",
    "aac",
    "-b:a",
    "128k",
    "-movflags",
    "+faststart",
    "-y",
    base,
  ]);
  const albums: Album[] = [];
  const songs: Song[] = [];
  for (let artist = 0; artist < ARTISTS; artist++) {
    for (let a = 0; a < ALBUMS_PER_ARTIST; a++) {
      const index = albums.length;
      const album: Album = {
        id: `benchalbum${String(index).padStart(3, "0")}`,
        title: `${WORDS[index % WORDS.length]} ${WORDS[(index * 3 + 1) % WORDS.length]} ${index}`,
        artist,
        genre: GENRES[index % GENRES.length]!,
        year: 2000 + index,
      };
      albums.push(album);
      const dir = path.join(musicDir, `Artist ${artist}`, album.title);
      mkdirSync(dir, { recursive: true });
      for (let position = 0; position < TRACKS_PER_ALBUM; position++) {
        const n = songs.length;
        const title = `${WORDS[n % WORDS.length]} song ${n}`;
        const file = path.join(dir, `${String(position + 1).padStart(2, "0")} ${title}.m4a`);
        // biome-ignore format: one flag per pair
        execFileSync("ffmpeg", [
          "-loglevel", "error", "-i", base, "-c", "copy",
          "-metadata", `title=${title}`, "-metadata", `artist=Artist ${artist}`, "-metadata", `album=${album.title}`,
          "-metadata", `album_artist=Artist ${artist}`, "-metadata", `track=${position + 1}`,
          "-metadata", `genre=${album.genre}`, "-metadata", `date=${album.year}`, "-y", file,
        ]);
        songs.push({
          id: `benchsong${String(n).padStart(4, "0")}`,
          title,
          file,
          size: statSync(file).size,
          album: index,
          position,
        });
      }
    }
  }
  return { albums, songs };
}

async function startSupysonic(): Promise<string> {
  const config = path.join(work, "supysonic.conf");
  mkdirSync(path.join(work, "supysonic-cache"), { recursive: true });
  writeFileSync(
    config,
    [
      "[base]",
      `database_uri = sqlite:///${path.join(work, "supysonic.db")}`,
      "[webapp]",
      `cache_dir = ${path.join(work, "supysonic-cache")}`,
      "log_level = WARNING",
      "[daemon]",
      `socket = ${path.join(work, "supysonic-daemon.sock")}`,
      "",
    ].join("\n"),
  );
  // Debian's 0.7 reads ./supysonic.conf (after /etc/supysonic); newer releases read SUPYSONIC_CONFIG.
  const env = { ...process.env, SUPYSONIC_CONFIG: config };
  const cli = (...cliArgs: string[]) => execFileSync("supysonic-cli", cliArgs, { env, cwd: work, stdio: "pipe" });
  cli("user", "add", USERNAME, "-p", PASSWORD);
  cli("folder", "add", "library", musicDir);
  cli("folder", "scan", "library");
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn("supysonic-server", ["-S", "waitress", "-h", "127.0.0.1", "-p", String(port)], {
    env,
    cwd: work,
    stdio: "pipe",
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  started.add(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/rest/ping.view?u=${USERNAME}&p=${PASSWORD}&v=1.10.2&c=bench`, child, () => output, 30_000);
  return url;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function seedVeza(stateDir: string, albums: Album[], songs: Song[]) {
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
  const now = Date.now();
  const statements: string[] = [];
  const artistId = (n: number) => `benchartist${n}`;
  for (let n = 0; n < ARTISTS; n++) {
    statements.push(
      `INSERT INTO users (id, email, username, display_name, password_hash, role, created_at, updated_at) VALUES (${sqlString(artistId(n))}, 'artist${n}@bench.test', 'artist_${n}', 'Artist ${n}', 'not-a-password-hash', 'artist', ${now}, ${now});`,
    );
  }
  statements.push(
    `INSERT INTO users (id, email, username, display_name, password_hash, created_at, updated_at) VALUES ('benchlistener', 'listener@bench.test', ${sqlString(USERNAME)}, 'Listener', 'not-a-password-hash', ${now}, ${now});`,
    `INSERT INTO app_passwords (id, user_id, name, sealed, created_at) VALUES ('benchapppassword', 'benchlistener', 'bench', ${sqlString(await seal(SECRETS.APP_PASSWORD_KEY, PASSWORD))}, ${now});`,
  );
  for (const [i, album] of albums.entries()) {
    const created = now - (albums.length - i) * 60_000;
    statements.push(
      `INSERT INTO albums (id, owner_id, title, released_on, created_at, updated_at) VALUES (${sqlString(album.id)}, ${sqlString(artistId(album.artist))}, ${sqlString(album.title)}, '${album.year}-01-01', ${created}, ${created});`,
    );
  }
  for (const [i, song] of songs.entries()) {
    const album = albums[song.album]!;
    const created = now - (songs.length - i) * 1000;
    const renditions = JSON.stringify([
      {
        quality: "high",
        bitrateKbps: 128,
        file: "high.mp4",
        playlist: "high.m3u8",
        bytes: song.size,
        mimeType: "audio/mp4",
        codecs: "mp4a.40.2",
      },
    ]);
    statements.push(
      `INSERT INTO tracks (id, owner_id, title, artist, genre, visibility, status, duration_ms, created_at, updated_at) VALUES (${sqlString(song.id)}, ${sqlString(artistId(album.artist))}, ${sqlString(song.title)}, 'Artist ${album.artist}', ${sqlString(album.genre)}, 'public', 'processing', ${TRACK_SECONDS * 1000}, ${created}, ${created});`,
      `INSERT INTO album_tracks (track_id, album_id, position) VALUES (${sqlString(song.id)}, ${sqlString(album.id)}, ${song.position});`,
      `INSERT INTO track_outputs (track_id, renditions, hls_master, waveform_file, integrated_lufs, true_peak_dbtp, loudness_range, gain_db, source_format, source_codec, source_sample_rate, source_channels, source_bitrate_kbps, tags, completed_at) VALUES (${sqlString(song.id)}, ${sqlString(renditions)}, 'master.m3u8', 'waveform.json', -14, -1, 3, 0, 'mov,mp4,m4a', 'aac', 44100, 1, 128, '{}', ${now});`,
    );
  }
  const file = path.join(work, "seed.sql");
  writeFileSync(file, statements.join("\n"));
  await runWrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--file", file, "--yes"]);
}

/**
 * The same bytes Supysonic serves, stored as each track's rendition through the app's signed PUT
 * path; the media path takes outputs only for a track still processing, so the tracks are seeded
 * that way and marked ready here once their renditions are in.
 */
async function uploadRenditions(url: string, stateDir: string, songs: Song[]) {
  for (const song of songs) {
    // A PUT-signed media URL, as the transcoder gets them (workers/media/signed-urls.ts describes the format).
    const expires = Math.floor(Date.now() / 1000) + 600;
    const signature = await hmacSign(SECRETS.STREAM_SIGNING_KEY, `v1|${song.id}|renditions|${expires}|w`);
    const signed = { url: `/api/v1/media/${song.id}/renditions/${expires}/w/${signature}/high.mp4` };
    const response = await fetch(url + signed.url, { method: "PUT", body: readFileSync(song.file) });
    if (response.status !== 201) throw new Error(`storing ${song.id}: ${response.status} ${await response.text()}`);
  }
  const sql = "UPDATE tracks SET status = 'ready' WHERE id LIKE 'benchsong%';";
  await runWrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--command", sql]);
}

async function startVeza(albums: Album[], songs: Song[]): Promise<string> {
  // wrangler dev serves the built web app as its assets; it refuses to start without them.
  if (!existsSync(path.join(root, "web", "dist"))) {
    execFileSync(
      process.execPath,
      [path.join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts"],
      {
        cwd: root,
        stdio: "ignore",
      },
    );
  }
  const stateDir = path.join(work, "veza-state");
  await seedVeza(stateDir, albums, songs);
  const worker: WranglerDev = await startWranglerDev({
    persistTo: stateDir,
    vars: { ...SECRETS, TRANSCODER_URL: "http://127.0.0.1:9" },
    readyPath: "/api/v1/health",
  });
  started.addWorker(worker);
  await uploadRenditions(worker.url, stateDir, songs);
  return worker.url;
}

type Server = {
  name: string;
  url: string;
  auth: string;
  albumId: (n: number) => string;
  songId: (n: number) => string;
};
type Call = { name: string; path: (server: Server) => string; headers?: Record<string, string> };
type Result = { server: string; call: string; p50: number; p99: number; rps: number; errors: number };

let state = 7;
function random(): number {
  state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
  return state / 2 ** 31;
}

const ALBUM_COUNT = ARTISTS * ALBUMS_PER_ARTIST;
const SONG_COUNT = ALBUM_COUNT * TRACKS_PER_ALBUM;
const calls: Call[] = [
  { name: "getAlbumList2 (newest, 20)", path: (s) => `/rest/getAlbumList2.view?${s.auth}&type=newest&size=20` },
  {
    name: "search3 (one word)",
    path: (s) => `/rest/search3.view?${s.auth}&query=${WORDS[Math.floor(random() * WORDS.length)]}`,
  },
  {
    name: "getAlbum",
    path: (s) => `/rest/getAlbum.view?${s.auth}&id=${s.albumId(Math.floor(random() * ALBUM_COUNT))}`,
  },
  {
    name: "stream, first 64 KiB",
    path: (s) => `/rest/stream.view?${s.auth}&format=raw&id=${s.songId(Math.floor(random() * SONG_COUNT))}`,
    headers: { range: RANGE },
  },
];

async function load(server: Server, call: Call): Promise<Result> {
  await new Promise((r) => setTimeout(r, 1500));
  const warm = await fetch(server.url + call.path(server), { headers: call.headers });
  const body = await warm.arrayBuffer();
  const expected = call.headers?.range ? 206 : 200;
  if (warm.status !== expected || (expected === 200 && new TextDecoder().decode(body).includes('"failed"'))) {
    throw new Error(`${server.name} ${call.name}: ${warm.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
  }
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "GET",
        headers: call.headers,
        setupRequest: (request: any) => ({ ...request, path: call.path(server) }),
      },
    ],
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    server: server.name,
    call: call.name,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors,
  };
}

/** Ids as each server knows them: Veza's are ours, Supysonic's come from its own API. */
async function supysonicIds(url: string, auth: string) {
  const albums: string[] = [];
  for (let offset = 0; offset < ALBUM_COUNT; offset += 500) {
    const body = await (
      await fetch(`${url}/rest/getAlbumList2.view?${auth}&type=alphabeticalByName&size=500&offset=${offset}`)
    ).json();
    albums.push(...body["subsonic-response"].albumList2.album.map((a: { id: string }) => a.id));
  }
  const songs: string[] = [];
  for (const id of albums) {
    const body = await (await fetch(`${url}/rest/getAlbum.view?${auth}&id=${id}`)).json();
    songs.push(...body["subsonic-response"].album.song.map((s: { id: string }) => s.id));
  }
  if (albums.length !== ALBUM_COUNT || songs.length !== SONG_COUNT) {
    throw new Error(
      `Supysonic scanned ${albums.length} albums and ${songs.length} songs, expected ${ALBUM_COUNT}/${SONG_COUNT}`,
    );
  }
  return { albums, songs };
}

function table(results: Result[]): string {
  const lines = [
    `${SONG_COUNT} tracks in ${ALBUM_COUNT} albums (${TRACK_SECONDS} s AAC, 128 kbit/s), ${CONNECTIONS} connections, ${SECONDS} s per call, loopback, \`p=\` auth on both.`,
    "",
    "| call | Veza p50 ms | Veza p99 ms | Veza req/s | Supysonic p50 ms | Supysonic p99 ms | Supysonic req/s | req/s Veza ÷ Supysonic | p99 Veza ÷ Supysonic | errors (V/S) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const call of calls) {
    const v = results.find((r) => r.server === "Veza" && r.call === call.name)!;
    const s = results.find((r) => r.server === "Supysonic" && r.call === call.name)!;
    lines.push(
      `| ${call.name} | ${v.p50} | ${v.p99} | ${Math.round(v.rps)} | ${s.p50} | ${s.p99} | ${Math.round(s.rps)} | ${(v.rps / s.rps).toFixed(2)}× | ${(v.p99 / Math.max(1, s.p99)).toFixed(2)}× | ${v.errors}/${s.errors} |`,
    );
  }
  return lines.join("\n");
}

function record(markdown: string): string {
  return recordSection(
    "## Subsonic",
    `Command: \`node bench/subsonic.ts --seconds ${SECONDS} --connections ${CONNECTIONS}\` (also run by \`npm run bench\`), ${timestamp()}, ${machineLine()}, load average at the end ${loadLine()}.\n\n${markdown}`,
  );
}

async function main() {
  ensureSupysonic();
  console.log(`generating ${SONG_COUNT} tracks in ${ALBUM_COUNT} albums with ffmpeg in ${work} …`);
  const { albums, songs } = generateLibrary();
  console.log("starting Supysonic (scan) and Veza (seed, wrangler dev) …");
  const supysonicUrl = await startSupysonic();
  const vezaUrl = await startVeza(albums, songs);
  const auth = `u=${USERNAME}&p=${encodeURIComponent(PASSWORD)}&c=bench&f=json`;
  const supy = await supysonicIds(supysonicUrl, `${auth}&v=1.10.2`);
  const servers: Server[] = [
    {
      name: "Veza",
      url: vezaUrl,
      auth: `${auth}&v=1.16.1`,
      albumId: (n) => `al-${albums[n]!.id}`,
      songId: (n) => songs[n]!.id,
    },
    {
      name: "Supysonic",
      url: supysonicUrl,
      auth: `${auth}&v=1.10.2`,
      albumId: (n) => supy.albums[n]!,
      songId: (n) => supy.songs[n]!,
    },
  ];
  const results: Result[] = [];
  for (const call of calls) {
    for (const server of servers) {
      const result = await load(server, call);
      console.log(
        `${server.name.padEnd(9)} ${call.name.padEnd(28)} p50 ${result.p50} ms  p99 ${result.p99} ms  ${Math.round(result.rps)} req/s  errors ${result.errors}`,
      );
      results.push(result);
    }
  }
  const markdown = table(results);
  console.log(`\n${markdown}\n`);
  console.log(`recorded under ## Subsonic in ${record(markdown)}`);
}

started.add(() => rmSync(work, { recursive: true, force: true }));
await started.run(main);
process.exit(process.exitCode ?? 0);
