// bench/RESULTS.md, written by every benchmark: each owns one "## " section, which a run replaces
// (or, for a benchmark that keeps its history, extends). BENCH_RESULTS_FILE points a trial run
// at another file, so a short try does not overwrite the recorded figures.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const DEFAULT_FILE = path.join(import.meta.dirname, "RESULTS.md");

export function resultsFile(): string {
  return process.env.BENCH_RESULTS_FILE || DEFAULT_FILE;
}

/** "2 × AMD EPYC, 24 GiB, Node v22.…": what the figures were measured on. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** The 1, 5 and 15 minute load averages, e.g. "3.1 2.8 2.5" (the machine is shared). */
export function loadLine(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
}

/** "2026-11-29 21:13 UTC" */
export function timestamp(): string {
  return `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * Writes `body` under `heading` (e.g. "## Chat"): replaces that section, or with `append` adds to
 * its end, keeping earlier runs; a missing section goes at the end of the file.
 */
export function recordSection(heading: string, body: string, options: { append?: boolean } = {}): string {
  const file = resultsFile();
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const content = body.trim();
  const at = text.indexOf(`\n${heading}\n`);
  let updated: string;
  if (at < 0) {
    updated = `${text.trimEnd()}\n\n${heading}\n\n${content}\n`;
  } else {
    const next = text.indexOf("\n## ", at + heading.length + 1);
    const before = text.slice(0, at);
    const section = text.slice(at + 1, next < 0 ? text.length : next).trimEnd();
    const after = next < 0 ? "" : text.slice(next);
    const kept = options.append ? `${section}\n\n${content}` : `${heading}\n\n${content}`;
    updated = `${before}\n${kept}\n${after}`;
  }
  writeFileSync(file, `${updated.trimEnd()}\n`);
  return file;
}
