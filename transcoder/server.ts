// The transcoder's HTTP server (node:http, no framework).
//   GET  /health -> {"ok": true, "ffmpeg": "<version>"}
//   POST /jobs   -> runs one transcode job (see job.ts) and answers with its result
// Runs as a local process in development and tests, and in a Cloudflare Container in production.

import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TranscoderConfig } from "./config.ts";
import { loadConfig } from "./config.ts";
import { errorBody, JobError } from "./errors.ts";
import type { JobSpec } from "./job.ts";
import { parseJob, runJob } from "./job.ts";
import { ReplayGuard, SIGNATURE_HEADER, verifyJobSignature } from "./job-auth.ts";
import { runProcess } from "./proc.ts";

const MAX_BODY_BYTES = 64 * 1024;

export type TranscoderServer = Server & {
  config: TranscoderConfig;
  /** Jobs running now and jobs waiting for a slot. */
  load: () => { active: number; queued: number };
  /** Cancels every running and waiting job (their ffmpeg processes are killed). */
  abortAll: () => void;
};

/** A counting semaphore; waiters can give up (when their client disconnects). */
class Slots {
  private free: number;
  private waiters: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  get queued(): number {
    return this.waiters.length;
  }

  acquire(signal: AbortSignal): Promise<boolean> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(true);
    }
    return new Promise((resolveSlot) => {
      const grant = () => {
        signal.removeEventListener("abort", giveUp);
        resolveSlot(true);
      };
      const giveUp = () => {
        this.waiters = this.waiters.filter((w) => w !== grant);
        resolveSlot(false);
      };
      this.waiters.push(grant);
      signal.addEventListener("abort", giveUp, { once: true });
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}

function send(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}

const sendError = (res: ServerResponse, error: JobError) => send(res, error.status, errorBody(error));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new JobError(400, "invalid_job", "The job description is too large.");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new JobError(400, "invalid_job", "The body is not valid JSON.");
  }
}

/** The ffmpeg version string ("5.1.6-0+deb12u1"), or null if ffmpeg cannot be run. */
async function ffmpegVersion(ffmpegPath: string): Promise<string | null> {
  const chunks: Buffer[] = [];
  const result = await runProcess(ffmpegPath, ["-hide_banner", "-version"], {
    timeoutMs: 10_000,
    onStdout: (chunk) => chunks.push(chunk),
  });
  if (result.code !== 0) return null;
  const first = Buffer.concat(chunks).toString("utf8").split("\n")[0] ?? "";
  return /^ffmpeg version (\S+)/.exec(first)?.[1] ?? (first.trim() || null);
}

export function createTranscoderServer(overrides: Partial<TranscoderConfig> = {}): TranscoderServer {
  const config = loadConfig(overrides);
  const slots = new Slots(config.concurrency);
  const replays = new ReplayGuard();
  const running = new Set<AbortController>();
  let active = 0;
  let version: string | null = null; // cached once known

  async function handleJob(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    let spec: JobSpec | null = null;
    let outcome = "ok";
    let durationMs: number | null = null;
    let status = 200;
    let detail: string | undefined;
    const controller = new AbortController();
    running.add(controller);
    // The client (the queue consumer) hung up before the answer: stop working for nobody.
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const body = await readBody(req);
      verifyJobSignature(config.jobSecret, body, req.headers[SIGNATURE_HEADER] as string | undefined, replays);
      spec = parseJob(parseJson(body));
      if (!(await slots.acquire(controller.signal))) throw new JobError(499, "aborted", "The job was cancelled.");
      active++;
      try {
        const result = await runJob(spec, config, controller.signal);
        durationMs = result.durationMs;
        send(res, 200, JSON.stringify(result));
      } finally {
        active--;
        slots.release();
      }
    } catch (caught) {
      let error: JobError;
      if (caught instanceof JobError) {
        error = caught;
      } else {
        console.error(`transcoder: job ${spec?.jobId ?? "?"} failed unexpectedly:`, caught);
        error = new JobError(500, "internal_error", "The transcoder failed unexpectedly.");
      }
      outcome = error.code;
      status = error.status;
      detail = error.detail;
      sendError(res, error);
    } finally {
      running.delete(controller);
      config.log(
        JSON.stringify({
          event: "job",
          jobId: spec?.jobId ?? null,
          trackId: spec?.trackId ?? null,
          durationMs,
          ms: Date.now() - started,
          status,
          outcome,
          ...(detail ? { detail } : {}),
        }),
      );
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://transcoder").pathname;
    if (path === "/health") {
      if (req.method !== "GET" && req.method !== "HEAD") {
        sendError(res, new JobError(405, "method_not_allowed", "Use GET on /health."));
        return;
      }
      version ??= await ffmpegVersion(config.ffmpegPath);
      if (version === null) {
        send(
          res,
          503,
          JSON.stringify({
            ok: false,
            ffmpeg: null,
            error: { code: "ffmpeg_unavailable", message: "ffmpeg cannot be run." },
          }),
        );
        return;
      }
      send(res, 200, JSON.stringify({ ok: true, ffmpeg: version, activeJobs: active, queuedJobs: slots.queued }));
      return;
    }
    if (path === "/jobs") {
      if (req.method !== "POST") {
        sendError(res, new JobError(405, "method_not_allowed", "Use POST on /jobs."));
        return;
      }
      await handleJob(req, res);
      return;
    }
    sendError(res, new JobError(404, "not_found", "There is nothing at this path."));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error("transcoder: request failed:", error);
      sendError(res, new JobError(500, "internal_error", "The transcoder failed unexpectedly."));
    });
  }) as TranscoderServer;
  server.config = config;
  server.load = () => ({ active, queued: slots.queued });
  server.abortAll = () => {
    for (const controller of running) controller.abort();
  };
  return server;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);

if (isMain) {
  let server: TranscoderServer;
  try {
    server = createTranscoderServer();
  } catch (error) {
    console.error(`transcoder: ${(error as Error).message}`);
    process.exit(1);
  }
  const port = Number(process.env.PORT || 8788);
  const { host } = server.config;
  server.listen(port, host, () => {
    const { ffmpegPath, ffprobePath, concurrency } = server.config;
    console.log(
      JSON.stringify({
        event: "listening",
        host,
        port,
        ffmpeg: ffmpegPath,
        ffprobe: ffprobePath ?? "(ffmpeg -i)",
        concurrency,
      }),
    );
  });
  const shutdown = () => {
    server.close();
    server.abortAll();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
