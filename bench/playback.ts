// Time to first audio and to a seek for a 10-minute track on a throttled connection
// (1.6 Mbit/s down, 150 ms latency, Chromium's Network.emulateNetworkConditions), in Chromium:
//   - baseline: the high rendition as the transcoder wrote it before (fragmented MP4, no index),
//     served with ranges by a plain local HTTP server to a bare <audio>;
//   - indexed: the same file as it is now (with its global sidx), same server, same page;
//   - the app: the track page's Play through adaptive HLS (hls.js), and with the quality pinned
//     (the indexed progressive rendition), against the real local stack.
// Prints a table and ratios to the baseline. Every process it starts is stopped, also on failure.
//
// Usage: node bench/playback.ts [--minutes 10]

import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { ApiClient } from "../e2e/api.ts";
import { launchBrowser } from "../e2e/browser.ts";
import { countMediaBytes, msToSeek, msUntilPlaying, throttle } from "../e2e/playback-timing.ts";
import { startStack } from "../e2e/server.ts";
import { generate, scratchDir, topBoxes } from "../transcoder/test/helpers.ts";

const args = process.argv.slice(2);
const MINUTES = Number(args[args.indexOf("--minutes") + 1] || 10) || 10;
const TIMEOUT_MS = 240_000;

type Row = { name: string; firstAudioMs: number; seekMs: number; bytesAtStart: number };

/** Serves two files with single-range support, and a bare page that plays one of them. */
function fileServer(files: Record<string, Buffer>): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/page") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><audio preload="none" src="/${url.searchParams.get("file")}"></audio>`);
      return;
    }
    const body = files[url.pathname.slice(1)];
    if (!body) return void res.writeHead(404).end();
    const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    if (!range) {
      res.writeHead(200, { "content-type": "audio/mp4", "content-length": body.length, "accept-ranges": "bytes" });
      return void res.end(body);
    }
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    res.writeHead(206, {
      "content-type": "audio/mp4",
      "content-length": end - start + 1,
      "content-range": `bytes ${start}-${end}/${body.length}`,
      "accept-ranges": "bytes",
    });
    res.end(body.subarray(start, end + 1));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function measurePage(
  browser: Browser,
  name: string,
  open: (page: import("playwright-core").Page) => Promise<void>,
  play: (page: import("playwright-core").Page) => Promise<void>,
  selector: string,
  quality?: string,
): Promise<Row> {
  const context = await browser.newContext({ locale: "en-US" });
  if (quality) {
    await context.addInitScript((q) => {
      if (!localStorage.getItem("veza:player"))
        localStorage.setItem("veza:player", JSON.stringify({ state: { quality: q }, version: 1 }));
    }, quality);
  }
  const page = await context.newPage();
  try {
    const cdp = await throttle(page);
    await open(page);
    await page.waitForLoadState("networkidle");
    const bytes = countMediaBytes(cdp);
    const firstAudioMs = await Promise.race([
      msUntilPlaying(page, selector, () => play(page)),
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`${name}: no audio`)), TIMEOUT_MS)),
    ]);
    const bytesAtStart = bytes();
    const target = MINUTES * 60 * 0.7;
    const seekMs = await msToSeek(page, selector, target, () =>
      page.evaluate(
        ([sel, t]) => {
          (document.querySelector(sel as string) as HTMLAudioElement).currentTime = t as number;
        },
        [selector, target] as const,
      ),
    );
    return { name, firstAudioMs: Math.round(firstAudioMs), seekMs: Math.round(seekMs), bytesAtStart };
  } finally {
    await context.close();
  }
}

const stack = await startStack();
let browser: Browser | undefined;
let files: Server | undefined;
try {
  const dir = scratchDir("veza-bench-playback-");
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
  const client = new ApiClient(stack.baseUrl);
  await client.register("bench");
  const uploaded = await client.upload(new Uint8Array(readFileSync(join(dir, "long.flac"))), "long.flac", "audio/flac");
  const track = await client.waitForStatus(uploaded.id, ["ready", "failed"], TIMEOUT_MS);
  if (track.status !== "ready") throw new Error(`transcoding failed: ${track.failureReason}`);
  const stream = await client.json("GET", `/api/v1/tracks/${track.id}/stream?quality=high`, undefined, 200);
  const indexed = Buffer.from(await (await fetch(new URL(stream.url, stack.baseUrl))).arrayBuffer());
  const sidx = topBoxes(indexed).find((b) => b.type === "sidx");
  if (!sidx) throw new Error("the rendition has no sidx");
  const unindexed = Buffer.concat([indexed.subarray(0, sidx.start), indexed.subarray(sidx.end)]);
  files = await fileServer({ "unindexed.mp4": unindexed, "indexed.mp4": indexed });
  const local = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  browser = await launchBrowser();

  const bare = (file: string) =>
    [
      async (page: import("playwright-core").Page) => void (await page.goto(`${local}/page?file=${file}`)),
      (page: import("playwright-core").Page) => page.evaluate(() => void document.querySelector("audio")?.play()),
      "audio",
    ] as const;
  const app = [
    async (page: import("playwright-core").Page) => {
      await page.goto(`${stack.baseUrl}/tracks/${track.id}`);
      await page.getByRole("heading", { name: "Long Drone" }).waitFor({ timeout: 60_000 });
    },
    (page: import("playwright-core").Page) => page.getByRole("button", { name: "Play", exact: true }).click(),
    "audio[data-testid=audio]",
  ] as const;

  const rows: Row[] = [];
  rows.push(await measurePage(browser, "baseline: unindexed fMP4, bare <audio>", ...bare("unindexed.mp4")));
  rows.push(await measurePage(browser, "indexed fMP4 (sidx), bare <audio>", ...bare("indexed.mp4")));
  rows.push(await measurePage(browser, "app, quality auto (HLS via hls.js)", ...app, "auto"));
  rows.push(await measurePage(browser, "app, quality pinned high (progressive)", ...app, "high"));

  const base = rows[0] as Row;
  console.log(`\n${MINUTES}-minute track, high rendition ${indexed.length} bytes; 1.6 Mbit/s, 150 ms latency\n`);
  console.log("| path | first audio ms | seek to 70 % ms | media bytes before first audio | first audio / baseline |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    const ratio = (r.firstAudioMs / base.firstAudioMs).toFixed(3);
    console.log(`| ${r.name} | ${r.firstAudioMs} | ${r.seekMs} | ${r.bytesAtStart} | ${ratio}× |`);
  }
} finally {
  await browser?.close();
  files?.close();
  await stack.stop();
}
