import { getRandom } from "@cloudflare/containers";
import { z } from "@hono/zod-openapi";
import { type JobResult, RENDITION_QUALITIES } from "../../transcoder/contract.ts";
import type { Env } from "../env.ts";
import { hmacSign, randomToken } from "../shared/crypto.ts";
import type { AudioKind } from "./sniff.ts";
import type { TranscoderContainer } from "./transcoder-container.ts";

export type TranscodeJob = {
  jobId: string;
  trackId: string;
  /** The sniffed type of the original: the transcoder reads it as that type and nothing else. */
  format: AudioKind;
  sourceUrl: string;
  outputBaseUrl: string;
  targetLufs?: number;
};

const Quality = z.enum(RENDITION_QUALITIES);

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
  /** The original without its metadata, offered when the artist enables downloads. */
  download: z.object({ file: z.string(), mimeType: z.string(), bytes: z.number() }).nullable().default(null),
});
export type TranscodeResult = z.infer<typeof TranscodeResult>;
// Compile-time check that the schema accepts everything the transcoder's contract says it sends.
const acceptsTheContract = (result: JobResult): z.input<typeof TranscodeResult> => result;
void acceptsTheContract;

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
/** How long a signed job may take to reach the transcoder (it refuses anything valid for over 5 minutes). */
const JOB_SIGNATURE_TTL_SECONDS = 60;
export const JOB_SIGNATURE_HEADER = "x-job-signature";

/**
 * The transcoder's x-job-signature for `body` (transcoder/job-auth.ts verifies it):
 * `<expires>.<nonce>.<base64url HMAC-SHA-256(secret, "<expires>.<nonce>.<body>")>`.
 */
export async function signTranscodeJob(secret: string, body: string, expires: number, nonce: string): Promise<string> {
  return `${expires}.${nonce}.${await hmacSign(secret, `${expires}.${nonce}.${body}`)}`;
}

/** Sends the job to the transcoder: TRANSCODER_URL in development and tests, the container in production. */
export async function runTranscodeJob(env: Env, job: TranscodeJob): Promise<TranscodeResult> {
  if (!env.TRANSCODER_SECRET) {
    throw new TranscodeFailure(
      "transcoder_unconfigured",
      "TRANSCODER_SECRET is not set: jobs cannot be signed.",
      false,
    );
  }
  const body = JSON.stringify(job);
  const expires = Math.floor(Date.now() / 1000) + JOB_SIGNATURE_TTL_SECONDS;
  const signature = await signTranscodeJob(env.TRANSCODER_SECRET, body, expires, randomToken(16));
  const init: RequestInit = {
    method: "POST",
    headers: { "content-type": "application/json", [JOB_SIGNATURE_HEADER]: signature },
    body,
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
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (answer as { error?: { code?: string; message?: string } } | null)?.error;
    throw new TranscodeFailure(
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The transcoder answered ${response.status}.`,
      response.status === 422 || response.status === 400,
    );
  }
  const parsed = TranscodeResult.safeParse(answer);
  if (!parsed.success) {
    throw new TranscodeFailure("bad_transcoder_response", "The transcoder's answer was not understood.", false);
  }
  return parsed.data;
}
