import type { Env } from "../env.ts";
import { publishToUser } from "../live/user-events.ts";
import { errorFields, log } from "../shared/log.ts";
import type { NotificationEvent } from "./event.ts";
import { inboxOf } from "./inbox/notification-inbox.ts";
import type { Notification } from "./protocol.ts";

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
 * Stores the event in the recipient's inbox, then sends the stored notification live on their
 * channel. A repeated event key adds nothing and sends nothing (undefined). Throws when the inbox
 * cannot be reached, so a queue consumer retries; the caller has already checked `mayNotify`.
 */
export async function deliver(
  env: Env,
  recipientId: string,
  event: NotificationEvent,
): Promise<Notification | undefined> {
  const added = await inboxOf(env, recipientId).add(event);
  if (!added) return undefined;
  await publishToUser(env, recipientId, {
    type: "notification",
    notification: added.notification,
    unreadCount: added.unreadCount,
  });
  return added.notification;
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
    return await deliver(env, recipientId, event);
  } catch (error) {
    log("error", "notification.failed", { recipientId, type: event.type, key: event.key, ...errorFields(error) });
    return undefined;
  }
}
