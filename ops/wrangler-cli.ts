import { spawnSync } from "node:child_process";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..");
// Run with this Node (22), whatever `node` is first on PATH.
const wranglerBin = path.join(repoRoot, "node_modules/wrangler/bin/wrangler.js");

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs wrangler from this repository; output is captured (pass `inherit` to show it live instead). */
export function wrangler(args: string[], options: { inherit?: boolean } = {}): CliResult {
  const result = spawnSync(process.execPath, [wranglerBin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: options.inherit ? "inherit" : "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Runs a command and stops the script with its output when it fails. */
export function wranglerOrExit(args: string[], options: { inherit?: boolean } = {}): CliResult {
  const result = wrangler(args, options);
  if (result.status !== 0) {
    console.error(result.stdout + result.stderr);
    console.error(`wrangler ${args.join(" ")} failed (exit ${result.status})`);
    process.exit(result.status || 1);
  }
  return result;
}
