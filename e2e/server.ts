import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const wranglerBin = path.join(root, "node_modules/wrangler/bin/wrangler.js");

export async function freePort(): Promise<number> {
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

async function waitFor(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`process exited (${child.exitCode}) before ${url} answered:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url}:\n${output()}`);
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: "pipe" });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} failed:\n${output}`))));
  });
}

export type RunningStack = {
  baseUrl: string;
  transcoderUrl: string;
  stopTranscoder: () => Promise<void>;
  startTranscoder: () => Promise<void>;
  stop: () => Promise<void>;
};

export type StackOptions = { retryBaseSeconds?: number; maxAttempts?: number };

/**
 * Starts the product as `npm start` does — transcoder process + `wrangler dev` in local mode —
 * on free ports with a throwaway state directory, so a test run never touches the dev database.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "veza-e2e-"));
  const [port, transcoderPort] = [await freePort(), await freePort()];
  const transcoderUrl = `http://127.0.0.1:${transcoderPort}`;

  await run([wranglerBin, "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], { CI: "true" });

  let transcoderOutput = "";
  let transcoder!: ChildProcess;
  const launchTranscoder = () => {
    transcoder = spawn(process.execPath, [path.join(root, "transcoder/server.ts")], {
      cwd: root,
      env: { ...process.env, PORT: String(transcoderPort) },
      stdio: "pipe",
    });
    transcoder.stdout?.on("data", (d) => (transcoderOutput += d));
    transcoder.stderr?.on("data", (d) => (transcoderOutput += d));
    return transcoder;
  };
  launchTranscoder();

  let workerOutput = "";
  const worker = spawn(
    process.execPath,
    [
      wranglerBin,
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(await freePort()),
      "--persist-to",
      stateDir,
      "--show-interactive-dev-session=false",
      "--var",
      "JWT_SECRET:e2e-jwt-secret-0123456789abcdef0123456789",
      "--var",
      "STREAM_SIGNING_KEY:e2e-stream-signing-key-0123456789abcdef",
      "--var",
      `TRANSCODER_URL:${transcoderUrl}`,
      "--var",
      `PUBLIC_BASE_URL:http://127.0.0.1:${port}`,
      "--var",
      `TRANSCODE_RETRY_BASE_SECONDS:${options.retryBaseSeconds ?? 10}`,
      "--var",
      `TRANSCODE_MAX_ATTEMPTS:${options.maxAttempts ?? 5}`,
    ],
    { cwd: root, env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" }, stdio: "pipe", detached: true },
  );
  worker.stdout?.on("data", (d) => (workerOutput += d));
  worker.stderr?.on("data", (d) => (workerOutput += d));

  const baseUrl = `http://127.0.0.1:${port}`;
  const stopTranscoder = async () => {
    if (transcoder.exitCode !== null || transcoder.signalCode !== null) return;
    const exited = new Promise((r) => transcoder.once("exit", r));
    transcoder.kill("SIGKILL");
    await exited;
  };
  const startTranscoder = async () => {
    if (transcoder.exitCode === null && transcoder.signalCode === null) return;
    await waitFor(`${transcoderUrl}/health`, launchTranscoder(), 30_000, () => transcoderOutput);
  };
  const stop = async () => {
    for (const child of [worker, transcoder]) {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(child === worker ? -child.pid : child.pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await waitFor(`${transcoderUrl}/health`, transcoder, 30_000, () => transcoderOutput);
    await waitFor(`${baseUrl}/api/v1/health`, worker, 90_000, () => workerOutput);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, transcoderUrl, stopTranscoder, startTranscoder, stop };
}
