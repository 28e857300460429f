// Memory baseline for the soak: does workerd's RSS under `wrangler dev` grow with the app's code, or
// with every request whatever the Worker does? Side by side, at the same request rate, for the same
// time: the app's `/api/v1/health` (the local stack as the soak starts it) and the minimal Worker of
// bench/minimal-worker/ (fifteen lines, no logging, an R2 miss per request). Prints each workerd's
// RSS first/last, the fitted slope after a warm-up, the growth per request and the ratio.
// Usage: npm run build:web && node bench/memory-baseline.ts [--seconds 180] [--rate 15]
//   (writes under "## Memory under wrangler dev" in bench/RESULTS.md; BENCH_RESULTS_FILE to write elsewhere)
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { StartedProcesses, startWranglerDev } from "../e2e/local-processes.ts";
import { startStack } from "../e2e/server.ts";
import { loadLine, machineLine, recordSection, timestamp } from "./results-file.ts";
import { descendants, roleOf, type Trend, trendOf } from "./soak/memory.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const value = Number(i >= 0 ? args[i + 1] : undefined);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const SECONDS = option("seconds", 180);
const RATE = option("rate", 15);
const temp = mkdtempSync(path.join(os.tmpdir(), "veza-memory-baseline-"));
const started = new StartedProcesses();

/** RSS (MiB) of the workerd processes under one wrangler process group. */
function workerdMiB(wranglerPid: number): number {
  return descendants(wranglerPid)
    .filter((p) => roleOf(p) === "workerd")
    .reduce((sum, p) => sum + p.rssMiB, 0);
}

type Target = { name: string; url: string; wranglerPid: number };
type Result = { name: string; requests: number; trend: Trend };

/** Requests at RATE per second for SECONDS; RSS every 5 s; the trend after the first fifth. */
async function drive(target: Target): Promise<Result> {
  const times: number[] = [];
  const values: number[] = [];
  const begin = Date.now();
  let sent = 0;
  let nextSample = begin;
  while (Date.now() - begin < SECONDS * 1000) {
    const due = Math.floor(((Date.now() - begin) / 1000) * RATE);
    const batch: Promise<unknown>[] = [];
    for (; sent < due; sent++) batch.push(fetch(target.url).then((r) => r.arrayBuffer()));
    await Promise.all(batch);
    if (Date.now() >= nextSample) {
      nextSample += 5_000;
      times.push(Date.now());
      values.push(workerdMiB(target.wranglerPid));
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { name: target.name, requests: sent, trend: trendOf(times, values, (SECONDS * 1000) / 5) };
}

async function main() {
  const stack = await startStack();
  started.add(() => stack.stop());
  const minimal = await startWranglerDev({
    config: "bench/minimal-worker/wrangler.toml",
    persistTo: path.join(temp, "minimal"),
    vars: {},
    readyPath: "/ready",
  });
  started.addWorker(minimal);
  const appPort = new URL(stack.baseUrl).port;
  const appPid = descendants().find((p) => roleOf(p) === "wrangler" && p.cmdline.includes(`--port ${appPort} `))?.pid;
  if (!appPid || !minimal.child.pid) throw new Error("could not find the wrangler processes to measure");
  const results = await Promise.all([
    drive({ name: "app, GET /api/v1/health", url: `${stack.baseUrl}/api/v1/health`, wranglerPid: appPid }),
    drive({ name: "minimal Worker (R2 miss)", url: `${minimal.url}/no-such-key`, wranglerPid: minimal.child.pid }),
  ]);
  const perRequestKiB = (r: Result) => (r.trend.slopePerMinute * 1024) / (RATE * 60);
  const [app, floor] = results as [Result, Result];
  const lines = [
    `Command: \`npm run build:web && node bench/memory-baseline.ts --seconds ${SECONDS} --rate ${RATE}\` — ${timestamp()}, ${machineLine()},`,
    `load average at the end ${loadLine()}. Both run at once, ${RATE} requests/s each for ${SECONDS} s; workerd RSS every 5 s, the`,
    "slope fitted after the first fifth.",
    "",
    "| Worker under `wrangler dev` | requests | workerd first MiB | last MiB | slope MiB/min | growth per request KiB |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.requests} | ${r.trend.first.toFixed(0)} | ${r.trend.last.toFixed(0)} | ${r.trend.slopePerMinute.toFixed(1)} | ${perRequestKiB(r).toFixed(1)} |`,
    ),
    "",
    `Growth per request, app ÷ minimal Worker: ${(perRequestKiB(app) / perRequestKiB(floor)).toFixed(2)}×.`,
  ];
  const report = lines.join("\n");
  console.log(`\n${report}\n`);
  recordSection("## Memory under wrangler dev", report);
}

started.add(() => rmSync(temp, { recursive: true, force: true }));
await started.run(main);
