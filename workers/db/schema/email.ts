import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Mail "sent" in development and tests: kept here instead of delivered, readable at
 * GET /api/v1/dev/outbox (development only). Never written in staging or production.
 */
export const devOutbox = sqliteTable(
  "dev_outbox",
  {
    id: text("id").primaryKey(),
    to: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    sentAt: integer("sent_at").notNull(),
  },
  (t) => [index("dev_outbox_to_idx").on(t.to, t.sentAt)],
);
