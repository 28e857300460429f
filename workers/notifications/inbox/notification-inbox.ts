import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env.ts";
import type { Page, PageRequest } from "../../shared/keyset.ts";
import type { NotificationEvent } from "../event.ts";
import type { Notification } from "../protocol.ts";
import { InboxStore } from "./inbox-store.ts";

/** How often an inbox with something in it wakes to expire old read notifications. */
const EXPIRY_INTERVAL_MS = 24 * 60 * 60_000;

export type Added = { notification: Notification; unreadCount: number };
export type ReadResult = { ids: string[]; unreadCount: number };

/**
 * One user's notification inbox (one object per user, named by the user id). Only its owner reads
 * it, so it lives in the object's own SQLite rather than in D1: writes from a fan-out to many
 * followers spread over many objects instead of contending on one table.
 */
export class NotificationInbox extends DurableObject<Env> {
  private readonly store: InboxStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new InboxStore(ctx.storage.sql);
  }

  /** Stores the event; undefined when its key was already stored (a redelivery). */
  async add(event: NotificationEvent): Promise<Added | undefined> {
    const notification = this.store.add(event, Date.now());
    if (!notification) return undefined;
    await this.scheduleExpiry();
    return { notification, unreadCount: this.store.unreadCount() };
  }

  async list(page: PageRequest): Promise<Page<Notification> & { unreadCount: number }> {
    return { ...this.store.list(page), unreadCount: this.store.unreadCount() };
  }

  async unreadCount(): Promise<number> {
    return this.store.unreadCount();
  }

  async markRead(ids: string[] | undefined): Promise<ReadResult> {
    const changed = this.store.markRead(ids, Date.now());
    return { ids: changed, unreadCount: this.store.unreadCount() };
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

/** The inbox object of a user. */
export function inboxOf(env: Pick<Env, "NOTIFICATION_INBOX">, userId: string) {
  return env.NOTIFICATION_INBOX.get(env.NOTIFICATION_INBOX.idFromName(userId));
}
