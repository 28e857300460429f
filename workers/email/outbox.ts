import { desc, eq } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { devOutbox } from "../db/schema/index.ts";
import { newId } from "../shared/ids.ts";
import type { EmailMessage, OutboxItem } from "./message.ts";

const OUTBOX_LIMIT = 100;

/** Keeps a message in the development outbox instead of delivering it. */
export async function recordInOutbox(d1: D1Database, message: EmailMessage, now = Date.now()): Promise<void> {
  await getDb(d1)
    .insert(devOutbox)
    .values({ id: newId(now), ...message, to: message.to.toLowerCase(), sentAt: now });
}

/** The newest messages (at most 100), newest first: those sent to `to`, or to anyone without it. */
export async function outboxFor(d1: D1Database, to?: string): Promise<OutboxItem[]> {
  const rows = await getDb(d1)
    .select()
    .from(devOutbox)
    .where(to === undefined ? undefined : eq(devOutbox.to, to.toLowerCase()))
    .orderBy(desc(devOutbox.sentAt), desc(devOutbox.id))
    .limit(OUTBOX_LIMIT)
    .all();
  return rows.map((row) => ({
    to: row.to,
    subject: row.subject,
    text: row.text,
    html: row.html,
    sentAt: new Date(row.sentAt).toISOString(),
  }));
}
