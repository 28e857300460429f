// `npm run seed`: fills an empty local database with a living demo through the real API and the real
// transcoder: artists with generated tracks (ffmpeg lavfi audio and covers), albums, a playlist,
// likes, follows and a chat room with messages. A database that already has an account is left
// alone. `npm start` runs it in the background once the Worker answers.
//   node ops/seed.ts [--base-url http://127.0.0.1:8787] [--persist-to <dir>] [--wait <seconds>] [--background]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApiClient } from "../e2e/api.ts";
import { resolveFfmpeg } from "../transcoder/config.ts";
import { DEMO_ACCOUNT, DEMO_ARTISTS, DEMO_PASSWORD, DEMO_ROOM } from "./seed-data.ts";
import { wrangler } from "./wrangler-cli.ts";

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const baseUrl = option("base-url") ?? "http://127.0.0.1:8787";
const persistTo = option("persist-to");
const waitSeconds = Number(option("wait") ?? 0);
/** Under `npm start`: a failed seed is reported but never stops the dev server (exit 0). */
const background = process.argv.includes("--background");

async function waitForWorker(): Promise<void> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      if ((await fetch(new URL("/api/v1/health", baseUrl))).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the Worker at ${baseUrl} did not answer /api/v1/health`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Accounts in the local database (read through wrangler, as `npm run admin` does). */
function localAccountCount(): number {
  const args = ["d1", "execute", "DB", "--local", "--json", "--command", "SELECT count(*) AS n FROM users"];
  if (persistTo) args.push("--persist-to", persistTo);
  const result = wrangler(args);
  if (result.status !== 0) throw new Error(`could not read the local database: ${result.stderr || result.stdout}`);
  const rows = JSON.parse(result.stdout) as { results: { n: number }[] }[];
  return rows[0]?.results[0]?.n ?? 0;
}

const ffmpeg = resolveFfmpeg();
const scratch = mkdtempSync(path.join(tmpdir(), "veza-seed-"));

function generate(name: string, args: string[]): Uint8Array {
  const file = path.join(scratch, name);
  execFileSync(ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", ...args, file], { stdio: "pipe" });
  return new Uint8Array(readFileSync(file));
}

/** A 24-second piece: a chord of sines with a slow tremolo, as MP3. */
function audio(name: string, frequencies: number[]): Uint8Array {
  const inputs = frequencies.flatMap((f) => ["-f", "lavfi", "-i", `sine=frequency=${f}:duration=24`]);
  const mix = `${frequencies.map((_, i) => `[${i}:a]`).join("")}amix=inputs=${frequencies.length},tremolo=f=0.5:d=0.4,afade=t=out:st=21:d=3`;
  return generate(name, [...inputs, "-filter_complex", mix, "-c:a", "libmp3lame", "-b:a", "128k"]);
}

/** A 480×480 PNG cover: a two-colour gradient (a flat colour where ffmpeg lacks the gradients source). */
function cover(name: string, from: string, to: string): Uint8Array {
  try {
    return generate(name, [
      "-f",
      "lavfi",
      "-i",
      `gradients=s=480x480:c0=0x${from}:c1=0x${to}:nb_colors=2`,
      "-frames:v",
      "1",
    ]);
  } catch {
    return generate(name, ["-f", "lavfi", "-i", `color=c=0x${from}:s=480x480`, "-frames:v", "1"]);
  }
}

/** Signs a demo account up and verifies its address from the development outbox (it uploads and chats). */
async function signUp(account: { username: string; displayName: string }): Promise<ApiClient> {
  const client = new ApiClient(baseUrl);
  const email = `${account.username}@demo.veza.test`;
  const body = await client.json("POST", "/api/v1/auth/register", { ...account, email, password: DEMO_PASSWORD }, 201);
  client.token = body.accessToken;
  await client.verifyEmail(email);
  return client;
}

/** Sends chat messages over the room's WebSocket, as the web app does, waiting for each acknowledgement. */
async function say(client: ApiClient, roomId: string, bodies: string[]): Promise<void> {
  const { ticket } = await client.json("POST", `/api/v1/rooms/${roomId}/ticket`, undefined, 200);
  const url = new URL(`/api/v1/rooms/${roomId}/ws?ticket=${encodeURIComponent(ticket)}`, baseUrl);
  url.protocol = url.protocol.replace("http", "ws");
  const socket = new WebSocket(url);
  const pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", () => reject(new Error(`room ${roomId}: the WebSocket failed`)));
  });
  socket.addEventListener("message", (event) => {
    const frames = JSON.parse(String(event.data));
    for (const frame of frames.type === "batch" ? frames.frames : [frames]) {
      const waiting = frame.clientId ? pending.get(frame.clientId) : undefined;
      if (frame.type === "ack") waiting?.resolve();
      else if (frame.type === "error") waiting?.reject(new Error(`chat: ${frame.code}: ${frame.message}`));
    }
  });
  await opened;
  for (const body of bodies) {
    const clientId = crypto.randomUUID();
    const acked = new Promise<void>((resolve, reject) => pending.set(clientId, { resolve, reject }));
    socket.send(JSON.stringify({ type: "send", clientId, body }));
    await Promise.race([
      acked,
      new Promise((_, reject) => setTimeout(() => reject(new Error("a chat message was not acknowledged")), 10_000)),
    ]);
  }
  socket.close(1000, "seeded");
}

async function seed(): Promise<void> {
  const artists = [];
  for (const artist of DEMO_ARTISTS) {
    const client = await signUp(artist);
    const tracks = [];
    for (const [i, track] of artist.tracks.entries()) {
      const bytes = audio(`${artist.username}-${i}.mp3`, track.chord);
      const uploaded = await client.upload(bytes, `${track.title}.mp3`, "audio/mpeg", track.title);
      const coverBytes = cover(`${artist.username}-${i}.png`, track.colors[0], track.colors[1]);
      const response = await client.request("PUT", `/api/v1/tracks/${uploaded.id}/cover`, coverBytes, {
        "content-type": "image/png",
      });
      if (!response.ok) throw new Error(`cover for ${track.title}: ${response.status} ${await response.text()}`);
      tracks.push(uploaded);
      console.log(`seed: uploaded "${track.title}" by ${artist.displayName}`);
    }
    artists.push({ ...artist, client, tracks });
  }
  for (const artist of artists) {
    for (const track of artist.tracks) await artist.client.waitForStatus(track.id, ["ready"], 180_000);
    await artist.client.json(
      "POST",
      "/api/v1/albums",
      { title: artist.album, trackIds: artist.tracks.map((t) => t.id) },
      201,
    );
  }
  console.log("seed: every track is transcoded");

  const demo = await signUp(DEMO_ACCOUNT);
  const allTracks = artists.flatMap((a) => a.tracks);
  const playlist = await demo.json(
    "POST",
    "/api/v1/playlists",
    { title: "Demo favourites", description: "A bit of everyone.", visibility: "public" },
    201,
  );
  for (const track of allTracks.filter((_, i) => i % 2 === 0)) {
    await demo.json("POST", `/api/v1/playlists/${playlist.id}/tracks`, { trackId: track.id });
  }
  for (const track of allTracks.slice(0, 4)) await demo.request("POST", `/api/v1/tracks/${track.id}/like`);
  for (const artist of artists) {
    await demo.request("POST", `/api/v1/users/${artist.username}/follow`);
    for (const other of artists) {
      if (other !== artist) await artist.client.request("POST", `/api/v1/users/${other.username}/follow`);
    }
  }

  const host = artists[0]!;
  const room = await host.client.json(
    "POST",
    "/api/v1/rooms",
    { name: DEMO_ROOM.name, kind: "public", topic: DEMO_ROOM.topic },
    201,
  );
  await say(host.client, room.id, DEMO_ROOM.hostMessages);
  await say(demo, room.id, DEMO_ROOM.guestMessages);
}

try {
  if (waitSeconds > 0) await waitForWorker();
  const accounts = localAccountCount();
  if (accounts > 0) {
    console.log(`seed: the database already has ${accounts} account(s); nothing seeded.`);
  } else {
    console.log("seed: empty database; creating the demo (a minute or so)…");
    await seed();
    console.log(
      `seed: done. Sign in at ${baseUrl} as "${DEMO_ACCOUNT.username}" with the password "${DEMO_PASSWORD}"` +
        ` (artists: ${DEMO_ARTISTS.map((a) => a.username).join(", ")}, same password).`,
    );
  }
} catch (error) {
  console.error(`seed: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = background ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
