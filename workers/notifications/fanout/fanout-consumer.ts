import type { Env } from "../../env.ts";
import { errorFields, log } from "../../shared/log.ts";
import type { NotificationEvent } from "../event.ts";
import { newTrackEvent, partyEvent } from "../events.ts";
import { inboxShard } from "../inbox/shards.ts";
import { deliver } from "../notify.ts";
import { audiencePage } from "./audience.ts";
import { type Audience, type AudienceCursor, FanoutMessage } from "./fanout-message.ts";

/** Recipients read from D1 per `page` message (then split into `deliver` messages). */
export const PAGE_SIZE = 1000;
/** Recipients per `deliver` message. */
export const DELIVER_SIZE = 100;
const MAX_RETRY_DELAY_SECONDS = 300;

/**
 * The `notify-fanout` queue consumer (messages in fanout-message.ts). Each message is acked or
 * retried on its own; every step may run twice without notifying anyone twice.
 */
export async function consumeFanoutBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await Promise.all(batch.messages.map((message) => settle(message, env)));
}

async function settle(message: Message<unknown>, env: Env): Promise<void> {
  const parsed = FanoutMessage.safeParse(message.body);
  if (!parsed.success) {
    log("warn", "notification.fanout_malformed", { messageId: message.id, action: "dropped" });
    return message.ack();
  }
  try {
    await handle(parsed.data, env);
    message.ack();
  } catch (error) {
    log("error", "notification.fanout_failed", {
      messageId: message.id,
      kind: parsed.data.kind,
      attempt: message.attempts,
      ...errorFields(error),
    });
    message.retry({ delaySeconds: Math.min(MAX_RETRY_DELAY_SECONDS, 5 * 2 ** (message.attempts - 1)) });
  }
}

async function handle(message: FanoutMessage, env: Env): Promise<void> {
  switch (message.kind) {
    case "new_track":
      return startNewTrack(env, message.trackId);
    case "party":
      return startParty(env, message);
    case "page":
      return enqueuePage(env, message.audience, message.event, message.after);
    case "deliver":
      return deliverAll(env, message.event, message.recipients);
  }
}

type Person = { id: string; username: string; display_name: string };
const personOf = (row: Person) => ({ id: row.id, username: row.username, displayName: row.display_name });

/** Only a track that is still ready, public and by an active artist is announced. */
async function startNewTrack(env: Env, trackId: string): Promise<void> {
  const row = await env.DB.prepare(
    `SELECT t.id AS track_id, t.title, u.id, u.username, u.display_name FROM tracks t JOIN users u ON u.id = t.owner_id
     WHERE t.id = ?1 AND t.status = 'ready' AND t.visibility = 'public' AND u.status = 'active'`,
  )
    .bind(trackId)
    .first<Person & { track_id: string; title: string }>();
  if (!row) return;
  const event = newTrackEvent(personOf(row), { id: row.track_id, title: row.title });
  await enqueuePage(env, { type: "followers", userId: row.id }, event, null);
}

/** Only a party still on (the same one: its start time) is announced. */
async function startParty(env: Env, party: { roomId: string; hostId: string; startedAt: number }): Promise<void> {
  const row = await env.DB.prepare(
    `SELECT r.id AS room_id, r.name AS room_name, r.kind, t.id AS track_id, t.title, u.id, u.username, u.display_name
     FROM rooms r JOIN users u ON u.id = ?2 LEFT JOIN tracks t ON t.id = r.party_track_id
     WHERE r.id = ?1 AND r.party_started_at = ?3 AND u.status = 'active'`,
  )
    .bind(party.roomId, party.hostId, party.startedAt)
    .first<
      Person & {
        room_id: string;
        room_name: string;
        kind: "public" | "private" | "dm";
        track_id: string | null;
        title: string | null;
      }
    >();
  if (!row) return;
  const room = { id: row.room_id, name: row.room_name, kind: row.kind };
  const track = row.track_id && row.title !== null ? { id: row.track_id, title: row.title } : undefined;
  const event = partyEvent(personOf(row), room, party.startedAt, track);
  // Members first; followers only for a public room (they may walk in). One inbox key: nobody twice.
  await enqueuePage(env, { type: "members", roomId: room.id }, event, null);
  if (room.kind === "public") {
    await enqueuePage(env, { type: "followers", userId: row.id, bannedFrom: room.id }, event, null);
  }
}

/** Reads one page of the audience and enqueues it as `deliver` batches, plus the next page. */
async function enqueuePage(env: Env, audience: Audience, event: NotificationEvent, after: AudienceCursor) {
  const actorId = event.actor?.id ?? "";
  const page = await audiencePage(env.DB, audience, actorId, after, PAGE_SIZE);
  // In inbox order, so each batch reaches few inbox objects with many recipients each.
  const ids = page.ids
    .map((id) => ({ id, shard: inboxShard(id) }))
    .sort((a, b) => a.shard - b.shard)
    .map((r) => r.id);
  const next = page.next;
  const messages: FanoutMessage[] = [];
  for (let i = 0; i < ids.length; i += DELIVER_SIZE) {
    messages.push({ kind: "deliver", event, recipients: ids.slice(i, i + DELIVER_SIZE) });
  }
  if (next) messages.push({ kind: "page", audience, event, after: next });
  if (messages.length > 0) {
    await env.NOTIFY_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
  }
}

/** Into each recipient's inbox; throws (so the message is retried) if any inbox object failed. */
async function deliverAll(env: Env, event: NotificationEvent, recipients: string[]): Promise<void> {
  await deliver(env, recipients, event);
}
