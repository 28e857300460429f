import { count, max, sql } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { deadLetters } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { log } from "../shared/log.ts";
import { logicalQueueName } from "../shared/queue-names.ts";

const MAX_BODY_CHARS = 2048;
/** The dead-letter queues this Worker consumes (logical names; see wrangler.toml). */
export const DEAD_LETTER_QUEUES = ["transcode-dlq", "plays-dlq"] as const;

function bodyText(body: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(body) ?? String(body);
  } catch {
    text = String(body);
  }
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}

/**
 * The dead-letter queues' consumer: records each message in `dead_letters` (once per message id)
 * and acks the batch. If D1 fails the whole batch is retried, so nothing is lost silently.
 */
export async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = getDb(env.DB);
  const queue = logicalQueueName(batch.queue);
  const now = Date.now();
  const rows = batch.messages.map((message) => ({
    id: message.id,
    queue,
    body: bodyText(message.body),
    attempts: message.attempts,
    receivedAt: now,
  }));
  // One statement per message keeps each under D1's bound-parameter limit; the batch is one transaction.
  const [first, ...rest] = rows.map((row) => db.insert(deadLetters).values(row).onConflictDoNothing());
  if (first) await db.batch([first, ...rest]);
  for (const message of batch.messages) {
    log("warn", "dead_letter", { queue: batch.queue, messageId: message.id, attempts: message.attempts });
  }
  batch.ackAll();
}

export type DeadLetterCount = { queue: string; count: number; lastReceivedAt: string | null };

/** Dead letters per queue (every consumed DLQ listed, zero included). */
export async function deadLetterCounts(env: Env): Promise<DeadLetterCount[]> {
  const db = getDb(env.DB);
  const rows = await db
    .select({ queue: deadLetters.queue, count: count(), last: max(deadLetters.receivedAt) })
    .from(deadLetters)
    .groupBy(deadLetters.queue)
    .orderBy(sql`${deadLetters.queue}`);
  const byQueue = new Map(rows.map((row) => [row.queue, row]));
  const names = [...new Set([...DEAD_LETTER_QUEUES, ...byQueue.keys()])];
  return names.map((queue) => {
    const row = byQueue.get(queue);
    return {
      queue,
      count: row?.count ?? 0,
      lastReceivedAt: row?.last ? new Date(row.last).toISOString() : null,
    };
  });
}
