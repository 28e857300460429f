import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Messages that exhausted their retries and reached a dead-letter queue (`transcode-dlq`,
 * `plays-dlq`), recorded by the dead-letter consumer so operators can count and inspect them.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    /** The queue's message id: a redelivered dead letter is recorded once. */
    id: text("id").primaryKey(),
    /** The logical queue name, without the environment suffix ("transcode-dlq"). */
    queue: text("queue").notNull(),
    /** The message body as JSON, cut to 2 KiB. */
    body: text("body").notNull(),
    /** Deliveries of the original message before it was dead-lettered (as the DLQ reports them). */
    attempts: integer("attempts").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [index("dead_letters_queue_received_idx").on(t.queue, t.receivedAt)],
);
