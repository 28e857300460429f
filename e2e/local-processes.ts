// Starting the product's processes locally: free ports, waiting for a process to answer over HTTP,
// one-shot wrangler commands and `wrangler dev` in local mode. Shared by the e2e stack
// (e2e/server.ts) and the benchmarks in bench/, with StartedProcesses to stop them all however a
// script ends.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const wranglerBin = path.join(root, "node_modules/wrangler/bin/wrangler.js");
/** No prompts, no telemetry. */
const wranglerEnv = { CI: "true", WRANGLER_SEND_METRICS: "false" };
/**
 * `wrangler dev` logs every request, so under load (the benchmarks) its output grows without end;
 * only the last part is kept for error messages.
 */
const KEEP_OUTPUT_CHARS = 1_000_000;

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Polls `url` until it answers with a status below 500. Throws, with the process's output so far,
 * if `child` exits first or `timeoutMs` passes.
 */
export async function waitForHttp(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${url} answered:\n${output()}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url}:\n${output()}`);
}

/** Runs `wrangler <args>` to completion from the repository root; resolves its output, rejects with it. */
export function runWrangler(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wranglerBin, ...args], {
      cwd: root,
      env: { ...process.env, ...wranglerEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(" ")} failed:\n${output}`)),
    );
  });
}

export type WranglerDevOptions = {
  /** Defaults to a free port. */
  port?: number;
  /** The local state directory (D1, R2, KV, …). */
  persistTo: string;
  /** Passed as `--var NAME:value`. */
  vars: Record<string, string>;
  /** A wrangler config other than the root wrangler.toml. */
  config?: string;
  /** Polled until it answers (status < 500) before this resolves. */
  readyPath: string;
  /** How long to wait for `readyPath`; 90 s by default. */
  timeoutMs?: number;
  /** Also copy wrangler's stderr to this process's stderr as it comes (it is collected either way). */
  echoStderr?: boolean;
};

export type WranglerDev = {
  url: string;
  child: ChildProcess;
  /** What wrangler has printed so far (its last million characters or more). */
  output: () => string;
  /** Sends SIGTERM to wrangler's process group (wrangler and its workerd processes). */
  stop: () => void;
};

/**
 * Starts `wrangler dev --local` on 127.0.0.1 in its own process group and resolves once `readyPath`
 * answers. If it does not, the process group is stopped and the error (with wrangler's output) thrown.
 */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const port = options.port ?? (await freePort());
  const args = [wranglerBin, "dev"];
  if (options.config) args.push("--config", options.config);
  args.push("--local", "--ip", "127.0.0.1", "--port", String(port));
  args.push("--inspector-port", String(await freePort()), "--persist-to", options.persistTo);
  args.push("--show-interactive-dev-session=false");
  for (const [name, value] of Object.entries(options.vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...wranglerEnv },
    stdio: "pipe",
    detached: true,
  });
  let output = "";
  const collect = (d: Buffer) => {
    output += d;
    if (output.length > 2 * KEEP_OUTPUT_CHARS) output = `[…]\n${output.slice(-KEEP_OUTPUT_CHARS)}`;
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", (d: Buffer) => {
    collect(d);
    if (options.echoStderr) process.stderr.write(d);
  });
  const stop = () => {
    if (child.exitCode !== null || !child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}${options.readyPath}`, child, () => output, options.timeoutMs ?? 90_000);
  } catch (error) {
    stop();
    throw error;
  }
  return { url, child, output: () => output, stop };
}

/**
 * Everything a script started, stopped together whichever way the script ends: normally, on an
 * error, or on Ctrl-C / SIGTERM. Each stop runs once, newest first (a client before its server).
 */
export class StartedProcesses {
  private readonly stops: Array<() => void | Promise<void>> = [];
  private stopping: Promise<void> | undefined;

  /** A `wrangler dev` started by startWranglerDev. */
  addWorker(worker: Pick<WranglerDev, "stop">): void {
    this.stops.push(() => worker.stop());
  }

  /** A child process, stopped with `signal` (nginx wants SIGQUIT for a graceful stop). */
  addChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
    this.stops.push(() => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    });
  }

  /** Any other clean-up (a stack's own stop, a temporary directory). */
  add(stop: () => void | Promise<void>): void {
    this.stops.push(stop);
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const stop of this.stops.reverse()) {
        try {
          await stop();
        } catch (error) {
          process.stderr.write(`stopping: ${error instanceof Error ? error.message : error}\n`);
        }
      }
      // Give SIGTERM'd processes a moment to exit before their directories go.
      await new Promise((r) => setTimeout(r, 500));
    })();
    return this.stopping;
  }

  /**
   * Runs `main`, then stops everything; on SIGINT/SIGTERM stops everything and exits 130, on an
   * uncaught error (a child's unhandled `error` event) stops everything and exits 1. Sets a
   * non-zero exit code when `main` throws (its error is printed).
   */
  async run(main: () => Promise<void>): Promise<void> {
    const onSignal = () => {
      process.stderr.write("\ninterrupted: stopping every process this script started\n");
      void this.stopAll().then(() => process.exit(130));
    };
    const onUncaught = (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      void this.stopAll().then(() => process.exit(1));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    process.once("uncaughtException", onUncaught);
    try {
      await main();
    } catch (error) {
      process.exitCode = 1;
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    } finally {
      await this.stopAll();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("uncaughtException", onUncaught);
    }
  }
}
