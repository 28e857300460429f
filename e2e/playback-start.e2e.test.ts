// A 10-minute track on a slow connection (1.6 Mbit/s, 150 ms): playback starts, and seeks, without
// waiting for the whole file — through the adaptive HLS path and through a pinned-quality
// progressive rendition (indexed by its sidx).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { launchBrowser } from "./browser.ts";
import { countMediaBytes, msToSeek, msUntilPlaying, throttle } from "./playback-timing.ts";

const baseUrl = inject("baseUrl");
const MINUTES = 10;
let browser: Browser;
let trackId: string;
let renditionBytes: number;

beforeAll(async () => {
  browser = await launchBrowser();
  const dir = scratchDir("veza-e2e-long-");
  await generate(dir, "long.flac", [
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=220:duration=${MINUTES * 60}`,
    "-metadata",
    "title=Long Drone",
    "-c:a",
    "flac",
  ]);
  const client = new ApiClient(baseUrl);
  await client.register("longartist");
  const uploaded = await client.upload(new Uint8Array(readFileSync(join(dir, "long.flac"))), "long.flac", "audio/flac");
  const track = await client.waitForStatus(uploaded.id, ["ready", "failed"], 240_000);
  expect(track.status).toBe("ready");
  trackId = track.id;
  const stream = await client.json("GET", `/api/v1/tracks/${trackId}/stream?quality=high`, undefined, 200);
  renditionBytes = Number(
    (await fetch(new URL(stream.url, baseUrl), { method: "HEAD" })).headers.get("content-length"),
  );
}, 300_000);
afterAll(async () => {
  await browser?.close();
});

const AUDIO = "audio[data-testid=audio]";

async function measure(quality: "auto" | "high") {
  const context = await browser.newContext({ locale: "en-US" });
  await context.addInitScript((q) => {
    if (!localStorage.getItem("veza:player")) {
      localStorage.setItem("veza:player", JSON.stringify({ state: { quality: q }, version: 1 }));
    }
  }, quality);
  const page = await context.newPage();
  const cdp = await throttle(page);
  await page.goto(`${baseUrl}/tracks/${trackId}`);
  await page.getByRole("heading", { name: "Long Drone" }).waitFor({ timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  const mediaBytes = countMediaBytes(cdp);
  const firstAudioMs = await msUntilPlaying(page, AUDIO, () =>
    page.getByRole("button", { name: "Play", exact: true }).click(),
  );
  const bytesAtStart = mediaBytes();
  const target = MINUTES * 60 * 0.7;
  const seekMs = await msToSeek(page, AUDIO, target, async () => {
    await page.evaluate(
      ([sel, t]) => {
        (document.querySelector(sel as string) as HTMLAudioElement).currentTime = t as number;
      },
      [AUDIO, target] as const,
    );
  });
  const source = await page.evaluate((sel) => document.querySelector<HTMLElement>(sel)?.dataset.source, AUDIO);
  await context.close();
  return { quality, source, firstAudioMs: Math.round(firstAudioMs), seekMs: Math.round(seekMs), bytesAtStart };
}

describe("a 10-minute track on a 1.6 Mbit/s, 150 ms connection", () => {
  it("starts and seeks quickly through adaptive HLS and through an indexed progressive rendition", async () => {
    const results = [await measure("auto"), await measure("high")];
    console.log(JSON.stringify({ renditionBytes, results }));
    expect(results[0]?.source).toMatch(/hls/);
    expect(results[1]?.source).toBe("progressive");
    for (const r of results) {
      // Before the sidx, Chromium started this only after the whole file (~96 s here).
      expect(r.firstAudioMs).toBeLessThan(2500);
      expect(r.seekMs).toBeLessThan(2500);
      expect(r.bytesAtStart).toBeLessThan(renditionBytes / 4);
    }
  }, 120_000);
});
