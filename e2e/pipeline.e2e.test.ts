import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { type RunningStack, startStack } from "./server.ts";

// Its own stack: these tests stop and restart the transcoder. Short backoff: 1 s, 2 s, 4 s.
let stack: RunningStack;
let mp3: Uint8Array;

beforeAll(async () => {
  stack = await startStack({ retryBaseSeconds: 1, maxAttempts: 4 });
  const dir = scratchDir("veza-e2e-audio-");
  await generate(dir, "tone.mp3", [
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=6",
    "-metadata",
    "title=Concert A",
    "-metadata",
    "genre=Test Tones",
    "-c:a",
    "libmp3lame",
    "-b:a",
    "128k",
  ]);
  mp3 = new Uint8Array(readFileSync(join(dir, "tone.mp3")));
});

afterAll(async () => {
  await stack?.stop();
});

describe("upload → queue → transcoder → ready", () => {
  it("turns an MP3 upload into a ready track with renditions, HLS and a waveform, and tells the uploader live", async () => {
    const client = new ApiClient(stack.baseUrl);
    await client.register("artist");
    const { ticket } = await client.json("POST", "/api/v1/me/events/ticket", undefined, 200);
    const socket = new WebSocket(
      `${stack.baseUrl.replace("http", "ws")}/api/v1/me/events?ticket=${encodeURIComponent(ticket)}`,
    );
    const events: any[] = [];
    socket.addEventListener("message", (event) => events.push(JSON.parse(String(event.data))));
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve);
      socket.addEventListener("error", reject);
    });

    const started = Date.now();
    const uploaded = await client.upload(mp3, "tone.mp3", "audio/mpeg");
    expect(uploaded.status).toBe("processing");
    const track = await client.waitForStatus(uploaded.id, ["ready", "failed"], 60_000);
    expect(track.status).toBe("ready");
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(Math.abs(track.durationMs - 6000)).toBeLessThan(100);
    expect(track.title).toBe("Concert A"); // left empty by the uploader, filled from the tags
    expect(track.genre).toBe("Test Tones");

    for (let i = 0; i < 40 && !events.some((e) => e.trackId === track.id && e.status === "ready"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events).toContainEqual(
      expect.objectContaining({ type: "track.status", trackId: track.id, status: "ready" }),
    );
    socket.close();

    // A 128 kbps source yields low and medium, never an upsampled high.
    for (const quality of ["low", "medium"]) {
      const stream = await client.json("GET", `/api/v1/tracks/${track.id}/stream?quality=${quality}`, undefined, 200);
      expect(stream.mimeType).toContain("audio/mp4");
      expect(typeof stream.gainDb).toBe("number");
      const head = await fetch(new URL(stream.url, stack.baseUrl), { headers: { range: "bytes=0-1023" } });
      expect(head.status).toBe(206);
      expect((await head.arrayBuffer()).byteLength).toBe(1024);
    }
    const high = await client.request("GET", `/api/v1/tracks/${track.id}/stream?quality=high`);
    expect(high.status).toBe(404);
    expect((await high.json()).error.details.available).toEqual(["low", "medium", "original"]);
    // Listeners get no original unless the artist offers downloads; then a copy without the tags.
    const listener = new ApiClient(stack.baseUrl);
    await listener.register("listener");
    const refused = await listener.request("GET", `/api/v1/tracks/${track.id}/stream?quality=original`);
    expect(refused.status).toBe(403);
    await client.json("PATCH", `/api/v1/tracks/${track.id}`, { downloadable: true }, 200);
    const offered = await listener.json("GET", `/api/v1/tracks/${track.id}/stream?quality=original`, undefined, 200);
    expect(offered.mimeType).toBe("audio/mpeg");
    const copy = new Uint8Array(await (await fetch(new URL(offered.url, stack.baseUrl))).arrayBuffer());
    expect(copy.byteLength).toBeGreaterThan(0);
    expect(new TextDecoder("latin1").decode(copy)).not.toContain("Concert A");

    const hls = await client.json("GET", `/api/v1/tracks/${track.id}/hls`, undefined, 200);
    const masterUrl = new URL(hls.url, stack.baseUrl);
    const master = await (await fetch(masterUrl)).text();
    expect(master).toContain("#EXTM3U");
    const mediaUri = master.split("\n").find((line) => line.endsWith(".m3u8")) as string;
    const media = await (await fetch(new URL(mediaUri, masterUrl))).text();
    const range = /#EXT-X-BYTERANGE:(\d+)@(\d+)/.exec(media);
    expect(range).toBeTruthy();
    const fileUri = media.split("\n").find((line) => line.endsWith(".mp4")) as string;
    const [length, offset] = [Number(range?.[1]), Number(range?.[2])];
    const segment = await fetch(new URL(fileUri, masterUrl), {
      headers: { range: `bytes=${offset}-${offset + length - 1}` },
    });
    expect(segment.status).toBe(206);
    const bytes = new Uint8Array(await segment.arrayBuffer());
    expect(bytes.length).toBe(length);
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe("moof");

    const waveform = await client.json("GET", `/api/v1/tracks/${track.id}/waveform`, undefined, 200);
    expect(waveform.peaks.length).toBeGreaterThan(500);
    expect(Math.max(...waveform.peaks)).toBeGreaterThan(0.1);
  });

  it("retries while the transcoder is down and finishes once it is back", async () => {
    const client = new ApiClient(stack.baseUrl);
    await client.register("artist");
    await stack.stopTranscoder();
    try {
      const uploaded = await client.upload(mp3, "retry.mp3", "audio/mpeg", "Retry me");
      await new Promise((r) => setTimeout(r, 1500));
      expect((await client.json("GET", `/api/v1/tracks/${uploaded.id}`)).status).toBe("processing");
      await stack.startTranscoder();
      const track = await client.waitForStatus(uploaded.id, ["ready", "failed"], 45_000);
      expect(track.status).toBe("ready");
    } finally {
      await stack.startTranscoder().catch(() => undefined);
    }
  });

  it("marks the track failed with a reason once the retries run out, losing nothing", async () => {
    const client = new ApiClient(stack.baseUrl);
    await client.register("artist");
    await stack.stopTranscoder();
    try {
      const uploaded = await client.upload(mp3, "doomed.mp3", "audio/mpeg", "Doomed");
      const track = await client.waitForStatus(uploaded.id, ["ready", "failed"], 45_000);
      expect(track.status).toBe("failed");
      expect(track.failureReason).toMatch(/after 4 attempts/);
      // Nothing is served for a failed track, not even its original; the original stays stored
      // (until the weekly purge) and the upload can be inspected.
      const original = await client.request("GET", `/api/v1/tracks/${uploaded.id}/stream?quality=original`);
      expect(original.status).toBe(404);
    } finally {
      await stack.startTranscoder();
    }
  });
});
