// Initial JavaScript of the web app: the scripts Chromium fetches to show the home page on a first
// visit (entry, preloads and the route's lazy chunks, until the network is idle), gzip-compressed as a CDN would send them,
// against the 150 KB budget and against all the app's JavaScript (what no code splitting would load).
// Builds nothing: run `npm run build:web` first.
//
// Usage: node bench/bundle.ts

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";
import { launchBrowser } from "../e2e/browser.ts";

const DIST = join(import.meta.dirname, "..", "web", "dist");
const BUDGET = 150 * 1024;
if (!existsSync(join(DIST, "index.html"))) throw new Error("web/dist is missing: run npm run build:web");

const types: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html" };
const server = createServer((req, res) => {
  const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
  let file = join(DIST, path);
  if (!existsSync(file) || path === "/") file = join(DIST, "index.html");
  if (path.startsWith("/api/")) return void res.writeHead(503).end();
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  const scripts = new Set<string>();
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.add(new URL(request.url()).pathname);
  });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { waitUntil: "networkidle" });
  const initial = [...scripts].filter((s) => s.endsWith(".js") && !s.endsWith("sw.js"));
  // What the app fetches later, once idle (hls.js for the player).
  await page.waitForTimeout(5000);
  const deferred = [...scripts].filter((s) => s.endsWith(".js") && !s.endsWith("sw.js") && !initial.includes(s));
  const gz = (path: string) => gzipSync(readFileSync(join(DIST, path)), { level: 9 }).length;
  const initialBytes = initial.reduce((sum, s) => sum + gz(s), 0);
  for (const s of deferred) console.log(`fetched later, when idle: ${s}: ${(gz(s) / 1024).toFixed(1)} KB`);
  const allJs = readdirSync(join(DIST, "assets")).filter((f) => f.endsWith(".js"));
  const allBytes = allJs.reduce((sum, f) => sum + gz(`/assets/${f}`), 0);
  console.log(`initial JS of the home page (${initial.length} files): ${(initialBytes / 1024).toFixed(1)} KB gzip`);
  for (const s of initial) console.log(`  ${s}: ${(gz(s) / 1024).toFixed(1)} KB`);
  console.log(`all JS (${allJs.length} files, hls.js included): ${(allBytes / 1024).toFixed(1)} KB gzip`);
  console.log(
    `initial / budget (150 KB): ${(initialBytes / BUDGET).toFixed(2)}×; initial / all JS: ${(initialBytes / allBytes).toFixed(2)}×`,
  );
} finally {
  await browser.close();
  server.close();
}
