// `npm run seed` end to end: into an empty database on its own local stack (real Worker, real
// transcoder), then a second run that must leave the now non-empty database alone.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT, DEMO_ARTISTS, DEMO_PASSWORD, DEMO_ROOM } from "../ops/seed-data.ts";
import { ApiClient } from "./api.ts";
import { type RunningStack, startStack } from "./server.ts";

const root = path.resolve(import.meta.dirname, "..");
let stack: RunningStack;

function runSeed(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, "ops/seed.ts"), "--base-url", stack.baseUrl, "--persist-to", stack.stateDir],
      { cwd: root, stdio: "pipe" },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

async function signIn(username: string): Promise<ApiClient> {
  const client = new ApiClient(stack.baseUrl);
  const body = await client.json("POST", "/api/v1/auth/login", { login: username, password: DEMO_PASSWORD }, 200);
  client.token = body.accessToken;
  return client;
}

beforeAll(async () => {
  stack = await startStack();
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe("npm run seed", () => {
  it("fills an empty database with transcoded tracks, covers, albums, a playlist, likes, follows and a chat room", async () => {
    const run = await runSeed();
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Sign in at ${stack.baseUrl} as "${DEMO_ACCOUNT.username}"`);

    const demo = await signIn(DEMO_ACCOUNT.username);
    // Every demo account can upload, comment and chat: its address was verified from the outbox.
    expect((await demo.json("GET", "/api/v1/me", undefined, 200)).emailVerified).toBe(true);
    for (const artist of DEMO_ARTISTS) {
      expect((await (await signIn(artist.username)).json("GET", "/api/v1/me", undefined, 200)).emailVerified).toBe(
        true,
      );
      const tracks = await demo.json("GET", `/api/v1/tracks?owner=${artist.username}`, undefined, 200);
      expect(tracks.items.map((t: { title: string }) => t.title).sort()).toEqual(
        artist.tracks.map((t) => t.title).sort(),
      );
      for (const track of tracks.items) {
        expect(track.status).toBe("ready");
        expect(track.durationMs).toBeGreaterThan(20_000);
        const cover = await demo.request("GET", track.coverUrl);
        expect(cover.status).toBe(200);
        expect(cover.headers.get("content-type")).toContain("image/");
      }
      const albums = await demo.json("GET", `/api/v1/albums?owner=${artist.username}`, undefined, 200);
      expect(albums.items.map((a: { title: string }) => a.title)).toEqual([artist.album]);
      const profile = await demo.json("GET", `/api/v1/users/${artist.username}`, undefined, 200);
      expect(profile.followedByMe).toBe(true);
    }
    const playlists = await demo.json("GET", `/api/v1/playlists?owner=${DEMO_ACCOUNT.username}`, undefined, 200);
    expect(playlists.items.map((p: { title: string }) => p.title)).toContain("Demo favourites");
    const rooms = await demo.json("GET", "/api/v1/rooms", undefined, 200);
    const room = rooms.items.find((r: { name: string }) => r.name === DEMO_ROOM.name);
    expect(room).toBeTruthy();
    const history = await demo.json("GET", `/api/v1/rooms/${room.id}/messages`, undefined, 200);
    expect(history.items.map((m: { body: string }) => m.body).sort()).toEqual(
      [...DEMO_ROOM.hostMessages, ...DEMO_ROOM.guestMessages].sort(),
    );
  }, 300_000);

  it("leaves a database that has accounts alone", async () => {
    const demo = await signIn(DEMO_ACCOUNT.username);
    const before = await demo.json("GET", "/api/v1/tracks?limit=100", undefined, 200);
    const run = await runSeed();
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("nothing seeded");
    const after = await demo.json("GET", "/api/v1/tracks?limit=100", undefined, 200);
    expect(after.items.map((t: { id: string }) => t.id)).toEqual(before.items.map((t: { id: string }) => t.id));
  }, 120_000);
});
