// Child processes with a hard time limit: on timeout or abort the child gets SIGKILL, and the
// promise settles only once the child has exited (so its files can be removed safely).

import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";

export type RunOptions = {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Receives stdout chunks; without it stdout is discarded. */
  onStdout?: (chunk: Buffer) => void;
  /** Keep at most this many trailing bytes of stderr. */
  stderrLimit?: number;
  onSpawn?: (child: ChildProcess) => void;
};

export type RunResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the executable could not be started at all. */
  spawnError: Error | null;
};

export function runProcess(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const stderrLimit = options.stderrLimit ?? 256 * 1024;
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let spawnError: Error | null = null;
    let stderr: Buffer[] = [];
    let stderrBytes = 0;

    const child = spawn(command, args, {
      stdio: ["ignore", options.onStdout ? "pipe" : "ignore", "pipe"],
    });
    options.onSpawn?.(child);

    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    if (options.signal) {
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener("abort", onAbort, { once: true });
    }

    if (options.onStdout && child.stdout) {
      const onStdout = options.onStdout;
      child.stdout.on("data", (chunk: Buffer) => {
        try {
          onStdout(chunk);
        } catch (error) {
          spawnError = error as Error;
          kill();
        }
      });
    }
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      stderrBytes += chunk.length;
      if (stderrBytes > stderrLimit * 2) {
        const joined = Buffer.concat(stderr);
        stderr = [joined.subarray(joined.length - stderrLimit)];
        stderrBytes = stderrLimit;
      }
    });
    child.on("error", (error) => {
      spawnError = error;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      const all = Buffer.concat(stderr);
      resolve({
        code,
        signal,
        stderr: all.subarray(Math.max(0, all.length - stderrLimit)).toString("utf8"),
        timedOut,
        aborted,
        spawnError,
      });
    });
  });
}
