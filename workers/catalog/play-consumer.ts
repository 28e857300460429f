import type { Env } from "../env.ts";
import { errorFields, log } from "../shared/log.ts";
import { PlayMessage } from "./play-message.ts";
import { type PlayReport, recordPlays } from "./plays.ts";

const MAX_RETRY_DELAY_SECONDS = 60;

/**
 * The `plays` queue consumer: counts a whole batch of play reports in one D1 round trip
 * (`recordPlays`). A malformed message is acked and dropped (retrying cannot fix it). If D1
 * fails, every valid message is retried with a short backoff; after `max_retries` they go to the
 * dead-letter queue. The batch is one transaction, so a failed one counted nothing, and a
 * redelivered report counts nothing twice (see `recordPlays`).
 */
export async function consumePlayBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const valid: { message: Message<unknown>; report: PlayReport }[] = [];
  for (const message of batch.messages) {
    const parsed = PlayMessage.safeParse(message.body);
    if (parsed.success) valid.push({ message, report: parsed.data });
    else {
      log("warn", "plays.malformed", { queue: batch.queue, messageId: message.id, action: "dropped" });
      message.ack();
    }
  }
  if (valid.length === 0) return;
  try {
    await recordPlays(
      env.DB,
      valid.map((v) => v.report),
    );
  } catch (error) {
    log("error", "plays.record_failed", {
      queue: batch.queue,
      reports: valid.length,
      action: "retry",
      ...errorFields(error),
    });
    for (const { message } of valid) {
      message.retry({ delaySeconds: Math.min(MAX_RETRY_DELAY_SECONDS, 2 ** message.attempts) });
    }
    return;
  }
  for (const { message } of valid) message.ack();
}
