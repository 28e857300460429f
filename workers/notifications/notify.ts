import type { Env } from "../env.ts";
import { publishToUser } from "../live/user-events.ts";
import { errorFields, log } from "../shared/log.ts";
import type { NotificationEvent } from "./event.ts";
import { inboxOf } from "./inbox/notification-inbox.ts";
import { inboxShardName } from "./inbox/shards.ts";
import type { Notification } from "./protocol.ts";
import { deliverPush } from "./push/deliver.ts";
import { usersWithDevices } from "./push/subscriptions.ts";

/**
 * Whether `recipientId` may hear about something `actorId` did: both accounts active, and neither
 * has blocked the other. An event nobody did (`track.ready`) only needs an active recipient.
 */
export async function mayNotify(db: D1Database, recipientId: string, actorId: string | undefined): Promise<boolean> {
  const row = await db
    .prepare(
      `SELECT 1 AS ok FROM users r
       WHERE r.id = ?1 AND r.status = 'active'
         AND (?2 IS NULL OR EXISTS (SELECT 1 FROM users a WHERE a.id = ?2 AND a.status = 'active'))
         AND NOT EXISTS (SELECT 1 FROM user_blocks b
           WHERE (b.blocker_id = ?1 AND b.blocked_id = ?2) OR (b.blocker_id = ?2 AND b.blocked_id = ?1))`,
    )
    .bind(recipientId, actorId ?? null)
    .first<{ ok: number }>();
  return row !== null;
}

/**
 * Stores the event in each recipient's inbox (one call per inbox object, however many of the
 * recipients it holds), then sends each stored notification live to the recipients with a
 * channel open, then hands it to Web Push: at once from a queue consumer (`push: "now"`), through the
 * push queue from a request (`"queued"`), so no response waits on a push service. A repeated event key adds nothing and sends nothing. Throws when an inbox object
 * cannot be reached, so a queue consumer retries (those already stored are skipped by their key);
 * the caller has already checked who may be told.
 */
export async function deliver(
  env: Env,
  recipientIds: string[],
  event: NotificationEvent,
  push: "now" | "queued" = "now",
): Promise<Notification[]> {
  const byShard = new Map<string, string[]>();
  for (const id of recipientIds) {
    const shard = inboxShardName(id);
    byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
  }
  const stored = await Promise.all([...byShard.values()].map((ids) => inboxOf(env, ids[0]!).add(ids, event)));
  const added = stored.flat();
  if (added.length === 0) return [];
  await Promise.all(
    added
      .filter((a) => a.live)
      .map((a) =>
        publishToUser(env, a.userId, {
          type: "notification",
          notification: a.notification,
          unreadCount: a.unreadCount,
        }),
      ),
  );
  // Web Push: the user's push settings and quiet hours decide there; the inbox keeps every type.
  // Only recipients with a device are handed over (one query for the batch); deliverPush never throws.
  const withDevices = await usersWithDevices(
    env.DB,
    added.map((a) => a.userId),
  );
  const pushed = added.filter((a) => withDevices.has(a.userId));
  if (push === "queued" && pushed.length > 0) {
    await env.PUSH_RETRY_QUEUE.sendBatch(
      pushed.map((a) => ({ body: { type: "push.deliver", userId: a.userId, notification: a.notification } })),
    );
  } else {
    await Promise.all(pushed.map((a) => deliverPush(env, a.userId, a.notification)));
  }
  return added.map((a) => a.notification);
}

/**
 * The single entry point for one recipient: never to the actor themselves, never across a block
 * or to or from a disabled account. Never fails the caller (a like succeeds even if the inbox is
 * unreachable): a failure is logged.
 */
export async function notify(
  env: Env,
  recipientId: string,
  event: NotificationEvent,
): Promise<Notification | undefined> {
  if (event.actor?.id === recipientId) return undefined;
  try {
    if (!(await mayNotify(env.DB, recipientId, event.actor?.id))) return undefined;
    const [stored] = await deliver(env, [recipientId], event, "queued");
    return stored;
  } catch (error) {
    log("error", "notification.failed", { recipientId, type: event.type, key: event.key, ...errorFields(error) });
    return undefined;
  }
}
