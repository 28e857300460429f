import { type CursorKey, decodeCursor, pageFrom } from "../../shared/cursor.ts";
import { newId } from "../../shared/ids.ts";
import type { Page, PageRequest } from "../../shared/keyset.ts";
import type { NotificationEvent } from "../event.ts";
import type { Notification, NotificationActor, NotificationSubject, NotificationType } from "../protocol.ts";

/** Events of one group fold into the same unread notification while it is younger than this. */
export const GROUP_WINDOW_MS = 24 * 60 * 60_000;
/** A notification's actors list keeps the latest few; `actor_count` keeps the true number. */
const LATEST_ACTORS = 3;
/** Read notifications are deleted this long after they were read. */
export const READ_TTL_MS = 30 * 24 * 60 * 60_000;
/** Event keys are remembered this long: a redelivery after it could notify again. */
export const EVENT_KEY_TTL_MS = 30 * 24 * 60 * 60_000;
/** An inbox keeps at most this many notifications (the oldest go first). */
export const MAX_NOTIFICATIONS = 1000;

type Row = {
  id: string;
  user_id: string;
  type: string;
  group_key: string | null;
  at: number;
  read_at: number | null;
  actors: string;
  actor_count: number;
  event_count: number;
  subject: string;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  type TEXT NOT NULL,
  group_key TEXT,
  at INTEGER NOT NULL,
  read_at INTEGER,
  actors TEXT NOT NULL,
  actor_count INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  subject TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_user_at ON notifications (user_id, at DESC, id DESC);
CREATE INDEX IF NOT EXISTS notifications_unread ON notifications (user_id, group_key, at) WHERE read_at IS NULL;
CREATE INDEX IF NOT EXISTS notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS group_actors (
  notification_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  PRIMARY KEY (notification_id, actor_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_keys (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_keys_at ON event_keys (at);
CREATE TABLE IF NOT EXISTS live_users (
  user_id TEXT PRIMARY KEY,
  since INTEGER NOT NULL
) WITHOUT ROWID;
`;

function toNotification(row: Row): Notification {
  return {
    ...(JSON.parse(row.subject) as NotificationSubject),
    id: row.id,
    type: row.type as NotificationType,
    createdAt: new Date(row.at).toISOString(),
    readAt: row.read_at === null ? null : new Date(row.read_at).toISOString(),
    actors: JSON.parse(row.actors) as NotificationActor[],
    actorCount: row.actor_count,
    count: row.event_count,
  };
}

/**
 * The inboxes of the users an inbox object holds, in its SQLite; every call names the user, and
 * no query reads across users. Only the object calls it.
 */
export class InboxStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /**
   * Stores an event for a user: nothing when its key was seen before (undefined), else folded into
   * the unread notification of its group if one is recent enough, else a new notification.
   */
  add(userId: string, event: NotificationEvent, now: number): Notification | undefined {
    const at = event.at ?? now;
    const seen = this.sql.exec(
      "INSERT INTO event_keys (user_id, key, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      userId,
      event.key,
      now,
    );
    if (seen.rowsWritten === 0) return undefined;
    const group = event.group ? this.openGroup(userId, event.group, at) : undefined;
    const id = group ? group.id : newId(at);
    if (group) this.grow(group, event, at);
    else {
      this.sql.exec(
        `INSERT INTO notifications (id, user_id, type, group_key, at, read_at, actors, actor_count, event_count, subject)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 1, ?)`,
        id,
        userId,
        event.type,
        event.group ?? null,
        at,
        JSON.stringify(event.actor ? [event.actor] : []),
        event.actor ? 1 : 0,
        JSON.stringify(event.subject),
      );
      if (event.actor) this.sql.exec("INSERT INTO group_actors VALUES (?, ?)", id, event.actor.id);
    }
    return this.get(userId, id);
  }

  private openGroup(userId: string, group: string, at: number): Row | undefined {
    return this.sql
      .exec<Row>(
        `SELECT * FROM notifications WHERE user_id = ? AND group_key = ? AND read_at IS NULL AND at >= ?
         ORDER BY at DESC LIMIT 1`,
        userId,
        group,
        at - GROUP_WINDOW_MS,
      )
      .toArray()[0];
  }

  private grow(row: Row, event: NotificationEvent, at: number): void {
    let actors = JSON.parse(row.actors) as NotificationActor[];
    let actorCount = row.actor_count;
    if (event.actor) {
      const actor = event.actor;
      const added = this.sql.exec(
        "INSERT INTO group_actors VALUES (?, ?) ON CONFLICT DO NOTHING",
        row.id,
        actor.id,
      ).rowsWritten;
      if (added > 0) actorCount += 1;
      actors = [actor, ...actors.filter((a) => a.id !== actor.id)].slice(0, LATEST_ACTORS);
    }
    this.sql.exec(
      "UPDATE notifications SET at = ?, actors = ?, actor_count = ?, event_count = event_count + 1, subject = ? WHERE id = ?",
      Math.max(at, row.at),
      JSON.stringify(actors),
      actorCount,
      // The latest event's subject (the newest message of a DM, the latest comment).
      JSON.stringify(event.subject),
      row.id,
    );
  }

  get(userId: string, id: string): Notification | undefined {
    const row = this.sql.exec<Row>("SELECT * FROM notifications WHERE id = ? AND user_id = ?", id, userId).toArray()[0];
    return row ? toNotification(row) : undefined;
  }

  /** Newest first, by the time of each notification's latest event. */
  list(userId: string, page: PageRequest): Page<Notification> {
    const after = decodeCursor(page.cursor);
    const rows = after
      ? this.sql
          .exec<Row>(
            `SELECT * FROM notifications WHERE user_id = ? AND (at < ? OR (at = ? AND id < ?))
             ORDER BY at DESC, id DESC LIMIT ?`,
            userId,
            after.k,
            after.k,
            after.id,
            page.limit + 1,
          )
          .toArray()
      : this.sql
          .exec<Row>(
            "SELECT * FROM notifications WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            userId,
            page.limit + 1,
          )
          .toArray();
    const { items, nextCursor } = pageFrom(rows, page.limit, (r): CursorKey => ({ k: r.at, id: r.id }));
    return { items: items.map(toNotification), nextCursor };
  }

  unreadCount(userId: string): number {
    return this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL", userId)
      .one().n;
  }

  /** Marks the given notifications read (every unread one without ids); returns those it changed. */
  markRead(userId: string, ids: string[] | undefined, now: number): string[] {
    const changed = ids
      ? ids.flatMap((id) =>
          this.sql
            .exec<{ id: string }>(
              "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL RETURNING id",
              now,
              id,
              userId,
            )
            .toArray(),
        )
      : this.sql
          .exec<{ id: string }>(
            "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL RETURNING id",
            now,
            userId,
          )
          .toArray();
    return changed.map((r) => r.id);
  }

  /** Whether the user has a live channel open (their UserEvents object says so as sockets come and go). */
  setLive(userId: string, live: boolean, now: number): void {
    if (live) this.sql.exec("INSERT OR REPLACE INTO live_users VALUES (?, ?)", userId, now);
    else this.sql.exec("DELETE FROM live_users WHERE user_id = ?", userId);
  }

  isLive(userId: string): boolean {
    return this.sql.exec("SELECT 1 FROM live_users WHERE user_id = ?", userId).toArray().length > 0;
  }

  /** Deletes read notifications past their time, forgotten event keys and what is beyond each inbox's cap. */
  expire(now: number): void {
    this.sql.exec(
      "DELETE FROM group_actors WHERE notification_id IN (SELECT id FROM notifications WHERE read_at < ?)",
      now - READ_TTL_MS,
    );
    this.sql.exec("DELETE FROM notifications WHERE read_at < ?", now - READ_TTL_MS);
    this.sql.exec("DELETE FROM event_keys WHERE at < ?", now - EVENT_KEY_TTL_MS);
    const full = this.sql
      .exec<{ user_id: string }>(
        "SELECT user_id FROM notifications GROUP BY user_id HAVING COUNT(*) > ?",
        MAX_NOTIFICATIONS,
      )
      .toArray();
    for (const { user_id } of full) {
      const beyond = `SELECT id FROM notifications WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT -1 OFFSET ${MAX_NOTIFICATIONS}`;
      this.sql.exec(`DELETE FROM group_actors WHERE notification_id IN (${beyond})`, user_id);
      this.sql.exec(`DELETE FROM notifications WHERE id IN (${beyond})`, user_id);
    }
  }

  isEmpty(): boolean {
    return (
      this.sql
        .exec<{ n: number }>("SELECT (SELECT COUNT(*) FROM notifications) + (SELECT COUNT(*) FROM event_keys) AS n")
        .one().n === 0
    );
  }
}
