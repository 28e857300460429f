// Does POST /api/v1/auth/password-reset take the same time for a known and an unknown address?
// The answer must not tell which addresses have accounts, by its body (tested in workers/) or by
// its timing (measured here). Requests alternate between a registered address and one nobody has,
// against `wrangler dev --local`; the unknown address is the baseline.
// Usage: node bench/password-reset.ts [--rounds 45]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runWrangler, StartedProcesses, startWranglerDev } from "../e2e/local-processes.ts";
import { loadLine, machineLine, recordSection, timestamp } from "./results-file.ts";

const roundsArg = process.argv.indexOf("--rounds");
// The per-address limit allows 100 reset requests an hour: two per round, so at most 50 rounds.
const ROUNDS = Math.min(50, roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 45);
// Three reset mails an hour per address: each known account serves three rounds.
const ACCOUNTS = Math.ceil(ROUNDS / 3);

const temp = mkdtempSync(path.join(os.tmpdir(), "veza-bench-reset-"));
const started = new StartedProcesses();
started.add(() => rmSync(temp, { recursive: true, force: true }));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function post(base: string, route: string, body: unknown): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

async function main(): Promise<void> {
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", temp]);
  const worker = await startWranglerDev({
    persistTo: temp,
    vars: {
      ENVIRONMENT: "development",
      JWT_SECRET: "bench-jwt-secret-0123456789abcdef0123456789",
      STREAM_SIGNING_KEY: "bench-stream-signing-key-0123456789abcdef",
      TRANSCODER_SECRET: "bench-transcoder-secret-0123456789abcdef",
      TRANSCODER_URL: "http://127.0.0.1:9",
      ARGON2_MEMORY_KIB: "64",
    },
    readyPath: "/api/v1/health",
  });
  started.addWorker(worker);
  const base = worker.url;
  const tag = Date.now().toString(36);
  const known: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const email = `reset${i}_${tag}@example.test`;
    const created = await post(base, "/api/v1/auth/register", {
      email,
      username: `reset${i}_${tag}`,
      password: "benchmark password 123",
    });
    if (created.status !== 201) throw new Error(`register: ${created.status} ${created.text}`);
    known.push(email);
  }
  // One warm-up of each kind (first requests compile code paths), not counted.
  await post(base, "/api/v1/auth/password-reset", { email: `warmup_${tag}@example.test` });
  const times = { known: [] as number[], unknown: [] as number[] };
  const bodies = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (["known", "unknown"] as const) : (["unknown", "known"] as const);
    for (const kind of order) {
      const email = kind === "known" ? known[round % ACCOUNTS] : `nobody${round}_${tag}@example.test`;
      const answer = await post(base, "/api/v1/auth/password-reset", { email });
      if (answer.status !== 202) throw new Error(`${kind}: ${answer.status} ${answer.text}`);
      bodies.add(answer.text);
      times[kind].push(answer.ms);
    }
  }
  const row = (name: string, values: number[]) =>
    `| ${name} | ${percentile(values, 50).toFixed(1)} | ${percentile(values, 90).toFixed(1)} | ${(
      percentile(values, 50) / percentile(times.unknown, 50)
    ).toFixed(2)}× |`;
  const section = [
    `Command: \`node bench/password-reset.ts\` — ${timestamp()}, ${machineLine()}, \`wrangler dev --local\`; load average ${loadLine()} at the end (the machine is shared).`,
    `${ROUNDS} rounds, each one request for a registered address and one for an address nobody has, in alternating`,
    "order. The token and the mail for a known address are made after the answer (`waitUntil`), so neither the",
    `body (${bodies.size === 1 ? "identical: 1 distinct body" : `${bodies.size} distinct bodies!`}) nor the time should tell the two apart.`,
    "",
    "| address | p50 ms | p90 ms | p50 / unknown p50 |",
    "| --- | ---: | ---: | ---: |",
    row("unknown (baseline)", times.unknown),
    row("known", times.known),
  ].join("\n");
  console.log(section);
  console.log(`written to ${recordSection("## Password reset: known vs unknown address", section)}`);
}

await started.run(main);
