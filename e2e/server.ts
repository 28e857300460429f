import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateP256KeyPair } from "../workers/notifications/push/p256.ts";
import { freePort, runWrangler, startWranglerDev, type WranglerDev, waitForHttp } from "./local-processes.ts";

const root = path.resolve(import.meta.dirname, "..");

export type RunningStack = {
  baseUrl: string;
  /** wrangler's local state (D1, R2, Durable Objects) of this stack: `--persist-to` for wrangler commands. */
  stateDir: string;
  transcoderUrl: string;
  stopTranscoder: () => Promise<void>;
  startTranscoder: () => Promise<void>;
  stop: () => Promise<void>;
};

export type StackOptions = {
  retryBaseSeconds?: number;
  maxAttempts?: number;
  /** More Worker vars (`--var`), e.g. the sign-in providers pointed at a fake one. */
  vars?: Record<string, string>;
};

/**
 * Starts the product as `npm start` does — transcoder process + `wrangler dev` in local mode —
 * on free ports with a throwaway state directory, so a test run never touches the dev database.
 */
const TRANSCODER_SECRET = "e2e-transcoder-secret-0123456789abcdef";

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const stateDir = mkdtempSync(path.join(tmpdir(), "veza-e2e-"));
  const [port, transcoderPort] = [await freePort(), await freePort()];
  const transcoderUrl = `http://127.0.0.1:${transcoderPort}`;

  await runWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);

  let transcoderOutput = "";
  let transcoder!: ChildProcess;
  const launchTranscoder = () => {
    transcoder = spawn(process.execPath, [path.join(root, "transcoder/server.ts")], {
      cwd: root,
      env: { ...process.env, PORT: String(transcoderPort), HOST: "127.0.0.1", TRANSCODER_SECRET },
      stdio: "pipe",
    });
    transcoder.stdout?.on("data", (d) => (transcoderOutput += d));
    transcoder.stderr?.on("data", (d) => (transcoderOutput += d));
    return transcoder;
  };
  launchTranscoder();

  const baseUrl = `http://127.0.0.1:${port}`;
  let worker: WranglerDev | undefined;
  const stopTranscoder = async () => {
    if (transcoder.exitCode !== null || transcoder.signalCode !== null) return;
    const exited = new Promise((r) => transcoder.once("exit", r));
    transcoder.kill("SIGKILL");
    await exited;
  };
  const startTranscoder = async () => {
    if (transcoder.exitCode === null && transcoder.signalCode === null) return;
    await waitForHttp(`${transcoderUrl}/health`, launchTranscoder(), () => transcoderOutput, 30_000);
  };
  const stop = async () => {
    worker?.stop();
    if (transcoder.exitCode === null && transcoder.pid) {
      try {
        process.kill(transcoder.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    // The transcoder boots while wrangler does; startWranglerDev stops its own processes if it fails.
    const vapid = await generateP256KeyPair();
    worker = await startWranglerDev({
      port,
      persistTo: stateDir,
      vars: {
        // A local server, as `npm start` runs: mail goes to the development outbox the journeys read.
        ENVIRONMENT: "development",
        JWT_SECRET: "e2e-jwt-secret-0123456789abcdef0123456789",
        STREAM_SIGNING_KEY: "e2e-stream-signing-key-0123456789abcdef",
        APP_PASSWORD_KEY: "e2e-app-password-key-0123456789abcdef",
        TRANSCODER_URL: transcoderUrl,
        TRANSCODER_SECRET,
        PUBLIC_BASE_URL: baseUrl,
        // Browsers refuse an IP address as a passkey's RP ID: passkey tests open the app as localhost.
        PASSKEY_ORIGINS: `http://localhost:${port}`,
        TRANSCODE_RETRY_BASE_SECONDS: String(options.retryBaseSeconds ?? 10),
        TRANSCODE_MAX_ATTEMPTS: String(options.maxAttempts ?? 5),
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        ...options.vars,
      },
      readyPath: "/api/v1/health",
    });
    await waitForHttp(`${transcoderUrl}/health`, transcoder, () => transcoderOutput, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stateDir, transcoderUrl, stopTranscoder, startTranscoder, stop };
}
