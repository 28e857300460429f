import { eq } from "drizzle-orm";
import { getTrackRow, setTrackCoverKey, setTrackStatus } from "../catalog/tracks.ts";
import { type Db, getDb } from "../db/client.ts";
import { uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { publishToUser } from "../live/user-events.ts";
import { trackBecameReady, trackFailed } from "../notifications/track-events.ts";
import { errorFields, log } from "../shared/log.ts";
import { renditionKey } from "./keys.ts";
import { signMediaUrl } from "./signed-urls.ts";
import { audioTypeByMime } from "./sniff.ts";
import { TranscodeMessage } from "./transcode-message.ts";
import { recordTranscodeOutputs } from "./transcode-outputs.ts";
import { runTranscodeJob, TranscodeFailure } from "./transcoder-client.ts";
import { titleFromFilename } from "./uploads.ts";

const DEFAULT_MAX_ATTEMPTS = 5; // wrangler.toml: max_retries = 4, plus the first delivery
const MAX_BACKOFF_SECONDS = 15 * 60;
const SIGNED_URL_TTL_SECONDS = 2 * 3600;

export type TranscodeOutcome = "ready" | "retry" | "failed" | "skipped";

/** Exponential backoff between transcode attempts: base, 2×base, 4×base… capped at 15 minutes. */
export function backoffSeconds(env: Partial<Pick<Env, "TRANSCODE_RETRY_BASE_SECONDS">>, attempts: number): number {
  const base = Number(env.TRANSCODE_RETRY_BASE_SECONDS) || 10;
  return Math.min(MAX_BACKOFF_SECONDS, Math.round(base * 2 ** Math.max(0, attempts - 1)));
}

/**
 * The `transcode` queue consumer. Each message is acked or retried on its own, so one bad
 * track never replays the others. Running a message twice is harmless: a track that is no
 * longer `processing` is skipped, and outputs are written and recorded by overwrite.
 */
export async function consumeTranscodeBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // Tracks are independent: transcode them side by side (the transcoder bounds its own concurrency).
  await Promise.all(batch.messages.map((message) => settleTranscodeMessage(message, env)));
}

async function settleTranscodeMessage(message: Message<unknown>, env: Env): Promise<void> {
  const outcome = await handleTranscodeMessage(message, env);
  if (outcome === "retry") message.retry({ delaySeconds: backoffSeconds(env, message.attempts) });
  else if (outcome === "failed" && isFinalAttempt(env, message.attempts)) {
    // Out of retries: retrying once more hands the message to the dead-letter queue.
    message.retry();
  } else message.ack();
}

function isFinalAttempt(env: Env, attempts: number): boolean {
  return attempts >= (Number(env.TRANSCODE_MAX_ATTEMPTS) || DEFAULT_MAX_ATTEMPTS);
}

export async function handleTranscodeMessage(message: Message<unknown>, env: Env): Promise<TranscodeOutcome> {
  const parsed = TranscodeMessage.safeParse(message.body);
  if (!parsed.success) {
    log("warn", "transcode.malformed", { messageId: message.id, action: "dropped" });
    return "skipped";
  }
  const { trackId, uploadedBy } = parsed.data;
  const db = getDb(env.DB);
  const track = await getTrackRow(db, trackId);
  if (!track || track.status !== "processing") return "skipped";

  try {
    const [source, outputs] = await Promise.all([
      signMediaUrl(env, { trackId, scope: "original", ttlSeconds: SIGNED_URL_TTL_SECONDS }),
      signMediaUrl(env, { trackId, scope: "renditions", ttlSeconds: SIGNED_URL_TTL_SECONDS, method: "PUT" }),
    ]);
    const upload = await uploadOf(db, trackId);
    const format = audioTypeByMime(upload?.mimeType)?.kind;
    if (!format) throw new TranscodeFailure("unknown_format", "The original's audio type is not known.", true);
    const base = env.PUBLIC_BASE_URL.replace(/\/$/, "");
    const result = await runTranscodeJob(env, {
      jobId: `${trackId}:${message.attempts}`,
      trackId,
      format,
      sourceUrl: base + source.url,
      outputBaseUrl: base + outputs.url,
    });
    await recordTranscodeOutputs(db, track, result, { title: upload && titleFromFilename(upload.filename) });
    if (result.cover && !track.coverKey) {
      await setTrackCoverKey(db, trackId, renditionKey(trackId, result.cover.file));
    }
    const ready = await setTrackStatus(db, trackId, {
      status: "ready",
      durationMs: result.durationMs,
      from: "processing",
    });
    if (ready) {
      await publishToUser(env, uploadedBy, { type: "track.status", trackId, status: "ready" });
      await trackBecameReady(env, ready);
    }
    return "ready";
  } catch (error) {
    // Deleted mid-transcode: its outputs were refused (or are swept); nothing is left to record or retry.
    if (!(await getTrackRow(db, trackId))) return "skipped";
    const failure =
      error instanceof TranscodeFailure
        ? error
        : new TranscodeFailure("internal_error", `Processing failed: ${String(error)}`, false);
    log("error", "transcode.failed", {
      trackId,
      attempt: message.attempts,
      code: failure.code,
      permanent: failure.permanent,
      ...errorFields(error),
    });
    if (!failure.permanent && !isFinalAttempt(env, message.attempts)) return "retry";
    const failureReason = failure.permanent
      ? failure.message
      : `Processing failed after ${message.attempts} attempts: ${failure.message}`;
    const failed = await setTrackStatus(db, trackId, { status: "failed", failureReason, from: "processing" });
    await publishToUser(env, uploadedBy, { type: "track.status", trackId, status: "failed", failureReason });
    if (failed) await trackFailed(env, failed, failureReason);
    return "failed";
  }
}

/** The track's upload: its file name (the default title) and the sniffed type the transcoder reads it as. */
function uploadOf(db: Db, trackId: string) {
  return db
    .select({ filename: uploads.filename, mimeType: uploads.mimeType })
    .from(uploads)
    .where(eq(uploads.trackId, trackId))
    .get();
}
