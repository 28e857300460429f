import { getRandom } from "@cloudflare/containers";
import { z } from "@hono/zod-openapi";
import type { Env } from "../env.ts";
import type { TranscoderContainer } from "./transcoder-container.ts";

export type TranscodeJob = {
  jobId: string;
  trackId: string;
  sourceUrl: string;
  outputBaseUrl: string;
  targetLufs?: number;
};

const Quality = z.enum(["low", "medium", "high"]);

/** The transcoder's answer (transcoder/server.ts), checked before anything is recorded. */
export const TranscodeResult = z.object({
  jobId: z.string(),
  trackId: z.string(),
  durationMs: z.number().int().nonnegative(),
  source: z.object({
    format: z.string(),
    codec: z.string(),
    sampleRate: z.number(),
    channels: z.number(),
    bitrateKbps: z.number().nullable(),
  }),
  renditions: z
    .array(
      z.object({
        quality: Quality,
        bitrateKbps: z.number(),
        file: z.string(),
        playlist: z.string(),
        bytes: z.number(),
        mimeType: z.string(),
        codecs: z.string(),
      }),
    )
    .min(1),
  hls: z.object({ master: z.string() }),
  loudness: z.object({ integratedLufs: z.number(), truePeakDbtp: z.number(), lra: z.number(), gainDb: z.number() }),
  waveform: z.object({ file: z.string(), points: z.number() }),
  tags: z.record(z.string(), z.union([z.string(), z.number()])),
  cover: z.object({ file: z.string(), mimeType: z.string() }).nullable(),
});
export type TranscodeResult = z.infer<typeof TranscodeResult>;

/** A failed job: `permanent` when retrying cannot help (the input itself is bad). */
export class TranscodeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

const CONTAINER_INSTANCES = 4;

/** Sends the job to the transcoder: TRANSCODER_URL in development and tests, the container in production. */
export async function runTranscodeJob(env: Env, job: TranscodeJob): Promise<TranscodeResult> {
  const init: RequestInit = {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(job),
  };
  let response: Response;
  try {
    if (env.TRANSCODER_URL) {
      response = await fetch(`${env.TRANSCODER_URL.replace(/\/$/, "")}/jobs`, init);
    } else {
      const container = await getRandom(
        env.TRANSCODER as DurableObjectNamespace<TranscoderContainer>,
        CONTAINER_INSTANCES,
      );
      response = await container.fetch(new Request("http://transcoder/jobs", init));
    }
  } catch (error) {
    throw new TranscodeFailure(
      "transcoder_unreachable",
      `The transcoder could not be reached: ${String(error)}`,
      false,
    );
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new TranscodeFailure(
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The transcoder answered ${response.status}.`,
      response.status === 422 || response.status === 400,
    );
  }
  const parsed = TranscodeResult.safeParse(body);
  if (!parsed.success) {
    throw new TranscodeFailure("bad_transcoder_response", "The transcoder's answer was not understood.", false);
  }
  return parsed.data;
}
