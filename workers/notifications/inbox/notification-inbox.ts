import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env.ts";
import type { Page, PageRequest } from "../../shared/keyset.ts";
import type { NotificationEvent } from "../event.ts";
import type { Notification } from "../protocol.ts";
import { InboxStore } from "./inbox-store.ts";
import { inboxShardName } from "./shards.ts";

/** How often an inbox object with something in it wakes to expire old read notifications. */
const EXPIRY_INTERVAL_MS = 24 * 60 * 60_000;

/** A stored notification for one recipient; `live`: they have a live channel open to send it on. */
export type Added = { userId: string; notification: Notification; unreadCount: number; live: boolean };
export type ReadResult = { ids: string[]; unreadCount: number };

/**
 * Notification inboxes in an object's SQLite. Each user's inbox lives in one object (the shard
 * of their id, shards.ts), and every method names the user: only that user's requests and events
 * addressed to them reach their rows. A fan-out hands an object all of its recipients of a batch
 * in one call, so 100,000 followers wake a bounded set of objects instead of 100,000.
 */
export class NotificationInbox extends DurableObject<Env> {
  private readonly store: InboxStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new InboxStore(ctx.storage.sql);
  }

  /** Stores the event for each user; those whose key was already stored (a redelivery) are left out. */
  async add(userIds: string[], event: NotificationEvent): Promise<Added[]> {
    const now = Date.now();
    const added: Added[] = [];
    for (const userId of userIds) {
      const notification = this.store.add(userId, event, now);
      if (!notification) continue;
      added.push({
        userId,
        notification,
        unreadCount: this.store.unreadCount(userId),
        live: this.store.isLive(userId),
      });
    }
    if (added.length > 0) await this.scheduleExpiry();
    return added;
  }

  async list(userId: string, page: PageRequest): Promise<Page<Notification> & { unreadCount: number }> {
    return { ...this.store.list(userId, page), unreadCount: this.store.unreadCount(userId) };
  }

  async unreadCount(userId: string): Promise<number> {
    return this.store.unreadCount(userId);
  }

  async markRead(userId: string, ids: string[] | undefined): Promise<ReadResult> {
    const changed = this.store.markRead(userId, ids, Date.now());
    return { ids: changed, unreadCount: this.store.unreadCount(userId) };
  }

  /** From the user's UserEvents object: a first socket opened (true) or the last one closed (false). */
  async setLive(userId: string, live: boolean): Promise<void> {
    this.store.setLive(userId, live, Date.now());
  }

  override async alarm(): Promise<void> {
    this.store.expire(Date.now());
    if (!this.store.isEmpty()) await this.ctx.storage.setAlarm(Date.now() + EXPIRY_INTERVAL_MS);
  }

  private async scheduleExpiry(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + EXPIRY_INTERVAL_MS);
    }
  }
}

/** The object holding a user's inbox. */
export function inboxOf(env: Pick<Env, "NOTIFICATION_INBOX">, userId: string) {
  return env.NOTIFICATION_INBOX.get(env.NOTIFICATION_INBOX.idFromName(inboxShardName(userId)));
}
