import { newId } from "../shared/ids.ts";
import type { ChatMessage, PresenceUser, Reactions, SharedCard } from "./protocol.ts";

/** A room member as the room object knows it: identity, role here, mute and ban state. */
export type MemberRecord = PresenceUser & {
  role: "owner" | "moderator" | "member";
  isAdmin: boolean;
  mutedUntil: number | null;
  banned: boolean;
  lastReadSeq: number;
};

type MessageRow = {
  seq: number;
  updated_seq: number;
  id: string;
  client_id: string;
  user_id: string;
  username: string;
  display_name: string;
  body: string;
  reply_to: string | null;
  mentions: string | null;
  share: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
};

type MemberRow = {
  user_id: string;
  username: string;
  display_name: string;
  role: MemberRecord["role"];
  is_admin: number;
  muted_until: number | null;
  banned: number;
  last_read_seq: number;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  body TEXT NOT NULL,
  reply_to TEXT,
  mentions TEXT,
  share TEXT,
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  deleted_at INTEGER,
  updated_seq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (user_id, client_id)
);
CREATE TABLE IF NOT EXISTS reactions (
  message_id TEXT NOT NULL,
  emoji TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
);
CREATE TABLE IF NOT EXISTS members (
  user_id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'member',
  is_admin INTEGER NOT NULL DEFAULT 0,
  muted_until INTEGER,
  banned INTEGER NOT NULL DEFAULT 0,
  last_read_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS members_username_idx ON members (username);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shard_sockets (
  socket_id TEXT PRIMARY KEY,
  shard INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS shard_sockets_user_idx ON shard_sockets (user_id);
`;

/**
 * The room object's own SQLite: its message history, the members it has been told about and a
 * few settings (admitted ticket nonces are kept by live/ticket-admission.ts). Every write here is
 * synchronous and durable before the object's next output leaves it (the output gate), so
 * "stored before ack" holds.
 */
export class RoomStore {
  private roomIdCache: string | null = null;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    addUpdatedSeq(sql);
  }

  get roomId(): string {
    this.roomIdCache ??= this.getMeta("roomId");
    return this.roomIdCache ?? "";
  }

  // ---- settings ----

  getMeta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
  }

  // ---- members ----

  upsertMember(member: Omit<MemberRecord, "mutedUntil" | "banned" | "lastReadSeq">): void {
    this.sql.exec(
      `INSERT INTO members (user_id, username, display_name, role, is_admin) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name,
         role = excluded.role, is_admin = excluded.is_admin`,
      member.id,
      member.username,
      member.displayName,
      member.role,
      member.isAdmin ? 1 : 0,
    );
  }

  member(userId: string): MemberRecord | undefined {
    const row = this.sql.exec<MemberRow>("SELECT * FROM members WHERE user_id = ?", userId).toArray()[0];
    return row && toMember(row);
  }

  membersByUsername(usernames: string[]): MemberRecord[] {
    if (usernames.length === 0) return [];
    const rows = this.sql
      .exec<MemberRow>(
        `SELECT * FROM members WHERE banned = 0 AND username IN (${usernames.map(() => "?").join(",")})`,
        ...usernames,
      )
      .toArray();
    return rows.map(toMember);
  }

  activeMemberIds(): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM members WHERE banned = 0")
      .toArray()
      .map((r) => r.user_id);
  }

  setBanned(userId: string, banned: boolean): void {
    this.sql.exec("UPDATE members SET banned = ? WHERE user_id = ?", banned ? 1 : 0, userId);
  }

  isBanned(userId: string): boolean {
    return this.member(userId)?.banned ?? false;
  }

  setMutedUntil(userId: string, until: number | null): void {
    this.sql.exec("UPDATE members SET muted_until = ? WHERE user_id = ?", until, userId);
  }

  /** Moves the read position forward (never back); returns the position now stored. */
  markRead(userId: string, seq: number): number {
    this.sql.exec("UPDATE members SET last_read_seq = MAX(last_read_seq, ?) WHERE user_id = ?", seq, userId);
    return this.member(userId)?.lastReadSeq ?? 0;
  }

  readPositions(): { userId: string; lastReadSeq: number }[] {
    return this.sql
      .exec<{ user_id: string; last_read_seq: number }>("SELECT user_id, last_read_seq FROM members")
      .toArray()
      .map((r) => ({ userId: r.user_id, lastReadSeq: r.last_read_seq }));
  }

  // ---- sockets held by shards (a busy room) ----

  /** The lowest shard index with fewer than `capacity` sockets. */
  shardWithRoom(capacity: number): number {
    const counts = this.sql
      .exec<{ shard: number; n: number }>(
        "SELECT shard, COUNT(*) AS n FROM shard_sockets GROUP BY shard ORDER BY shard",
      )
      .toArray();
    let index = 0;
    for (const { shard, n } of counts) {
      if (shard !== index || n < capacity) break;
      index++;
    }
    return index;
  }

  addShardSocket(shard: number, socketId: string, user: PresenceUser): void {
    this.sql.exec(
      "INSERT INTO shard_sockets (socket_id, shard, user_id, username, display_name) VALUES (?, ?, ?, ?, ?)",
      socketId,
      shard,
      user.id,
      user.username,
      user.displayName,
    );
  }

  /** Forgets one shard socket; the user it belonged to, or undefined if it was already gone. */
  removeShardSocket(socketId: string): PresenceUser | undefined {
    const row = this.sql
      .exec<{ user_id: string; username: string; display_name: string }>(
        "DELETE FROM shard_sockets WHERE socket_id = ? RETURNING user_id, username, display_name",
        socketId,
      )
      .toArray()[0];
    return row && { id: row.user_id, username: row.username, displayName: row.display_name };
  }

  /** Forgets a user's shard sockets; the shard of each one there was. */
  removeShardSocketsOf(userId: string): number[] {
    return this.sql
      .exec<{ shard: number }>("DELETE FROM shard_sockets WHERE user_id = ? RETURNING shard", userId)
      .toArray()
      .map((r) => r.shard);
  }

  shardSocketUsers(): PresenceUser[] {
    return this.sql
      .exec<{ user_id: string; username: string; display_name: string }>(
        "SELECT user_id, username, display_name FROM shard_sockets",
      )
      .toArray()
      .map((r) => ({ id: r.user_id, username: r.username, displayName: r.display_name }));
  }

  shardIndexes(): number[] {
    return this.sql
      .exec<{ shard: number }>("SELECT DISTINCT shard FROM shard_sockets ORDER BY shard")
      .toArray()
      .map((r) => r.shard);
  }

  // ---- messages ----

  findByClientId(userId: string, clientId: string): ChatMessage | undefined {
    const row = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE user_id = ? AND client_id = ?", userId, clientId)
      .toArray()[0];
    return row && this.toMessage(row);
  }

  findById(id: string): ChatMessage | undefined {
    const row = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE id = ?", id).toArray()[0];
    return row && this.toMessage(row);
  }

  insert(input: {
    clientId: string;
    author: PresenceUser;
    body: string;
    replyTo?: string;
    mentions: string[];
    share?: SharedCard;
    now: number;
  }): ChatMessage {
    const id = newId(input.now);
    const row = this.sql
      .exec<MessageRow>(
        `INSERT INTO messages (id, client_id, user_id, username, display_name, body, reply_to, mentions, share, created_at, updated_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${NEXT_UPDATE}) RETURNING *`,
        id,
        input.clientId,
        input.author.id,
        input.author.username,
        input.author.displayName,
        input.body,
        input.replyTo ?? null,
        input.mentions.length > 0 ? JSON.stringify(input.mentions) : null,
        input.share ? JSON.stringify(input.share) : null,
        input.now,
      )
      .one();
    return this.toMessage(row);
  }

  edit(id: string, body: string, now: number): ChatMessage | undefined {
    this.sql.exec(
      `UPDATE messages SET body = ?, edited_at = ?, updated_seq = ${NEXT_UPDATE} WHERE id = ? AND deleted_at IS NULL`,
      body,
      now,
      id,
    );
    return this.findById(id);
  }

  softDelete(id: string, now: number): ChatMessage | undefined {
    this.sql.exec(
      `UPDATE messages SET body = '', mentions = NULL, share = NULL, deleted_at = ?, updated_seq = ${NEXT_UPDATE}
       WHERE id = ? AND deleted_at IS NULL`,
      now,
      id,
    );
    this.sql.exec("DELETE FROM reactions WHERE message_id = ?", id);
    return this.findById(id);
  }

  /** Adds the reaction, or takes it back if the user had already given it; the message's new state. */
  toggleReaction(messageId: string, emoji: string, userId: string, now: number): ChatMessage | undefined {
    const removed = this.sql.exec(
      "DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ? RETURNING 1",
      messageId,
      emoji,
      userId,
    );
    if (removed.toArray().length === 0) {
      this.sql.exec(
        "INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?)",
        messageId,
        emoji,
        userId,
        now,
      );
    }
    this.sql.exec(`UPDATE messages SET updated_seq = ${NEXT_UPDATE} WHERE id = ?`, messageId);
    return this.findById(messageId);
  }

  reactionsOf(messageId: string): Reactions {
    const reactions: Reactions = {};
    for (const row of this.sql.exec<{ emoji: string; user_id: string }>(
      "SELECT emoji, user_id FROM reactions WHERE message_id = ? ORDER BY created_at",
      messageId,
    )) {
      const users = reactions[row.emoji] ?? [];
      users.push(row.user_id);
      reactions[row.emoji] = users;
    }
    return reactions;
  }

  seqOf(id: string): number | undefined {
    return this.sql.exec<{ seq: number }>("SELECT seq FROM messages WHERE id = ?", id).toArray()[0]?.seq;
  }

  lastMessage(): ChatMessage | undefined {
    const row = this.sql.exec<MessageRow>("SELECT * FROM messages ORDER BY seq DESC LIMIT 1").toArray()[0];
    return row && this.toMessage(row);
  }

  /** Up to `limit` messages before `beforeSeq` (or the latest), oldest first, and whether more exist. */
  page(beforeSeq: number | undefined, limit: number): { messages: ChatMessage[]; hasMore: boolean } {
    const rows = this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        beforeSeq ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray();
    const hasMore = rows.length > limit;
    return {
      messages: rows
        .slice(0, limit)
        .reverse()
        .map((r) => this.toMessage(r)),
      hasMore,
    };
  }

  /** Up to `limit` of the latest undeleted messages created after `sinceMs`, oldest first. */
  createdAfter(sinceMs: number, limit: number): ChatMessage[] {
    return this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE created_at > ? AND deleted_at IS NULL ORDER BY seq DESC LIMIT ?",
        sinceMs,
        limit,
      )
      .toArray()
      .reverse()
      .map((r) => this.toMessage(r));
  }

  /** Every message after `afterSeq`, oldest first (what a reconnecting client missed), capped. */
  after(afterSeq: number, cap: number): { messages: ChatMessage[]; complete: boolean } {
    const rows = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, cap + 1)
      .toArray();
    return { messages: rows.slice(0, cap).map((r) => this.toMessage(r)), complete: rows.length <= cap };
  }

  /**
   * Every message created, edited, deleted or reacted to after the room's update `updatedSeq`,
   * in the room's order, capped: what a reconnecting client needs for its view to equal the room's.
   */
  changedSince(updatedSeq: number, cap: number): { messages: ChatMessage[]; complete: boolean } {
    const rows = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE updated_seq > ? ORDER BY seq LIMIT ?", updatedSeq, cap + 1)
      .toArray();
    return { messages: rows.slice(0, cap).map((r) => this.toMessage(r)), complete: rows.length <= cap };
  }

  /** Up to `limit` messages `userId` wrote after `afterSeq`, oldest first (deleted ones are empty and left out). */
  authoredAfter(userId: string, afterSeq: number, limit: number): ChatMessage[] {
    return this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE user_id = ? AND seq > ? AND deleted_at IS NULL ORDER BY seq LIMIT ?",
        userId,
        afterSeq,
        limit,
      )
      .toArray()
      .map((r) => this.toMessage(r));
  }

  /**
   * Account deletion: up to `limit` of the user's messages keep their text but name `anonymous` as
   * their author (the client id becomes the message id, so anonymised messages of different people
   * never collide on `(user_id, client_id)`). Once none is left, their reactions and member record
   * go too. Each changed message takes the room's next update number, so reconnecting clients catch
   * up. Repeatable; `done` is false while messages remain (call again).
   */
  anonymiseAuthor(userId: string, anonymous: PresenceUser, limit: number): { changed: ChatMessage[]; done: boolean } {
    const changed = new Set<string>();
    const authored = this.sql
      .exec<{ id: string }>("SELECT id FROM messages WHERE user_id = ? ORDER BY seq LIMIT ?", userId, limit)
      .toArray();
    for (const { id } of authored) {
      this.sql.exec(
        `UPDATE messages SET user_id = ?, username = ?, display_name = ?, client_id = id, updated_seq = ${NEXT_UPDATE}
         WHERE id = ?`,
        anonymous.id,
        anonymous.username,
        anonymous.displayName,
        id,
      );
      changed.add(id);
    }
    const done = authored.length < limit;
    if (done) {
      const reacted = this.sql
        .exec<{ message_id: string }>("DELETE FROM reactions WHERE user_id = ? RETURNING message_id", userId)
        .toArray();
      for (const { message_id } of reacted) {
        if (changed.has(message_id)) continue;
        this.sql.exec(`UPDATE messages SET updated_seq = ${NEXT_UPDATE} WHERE id = ?`, message_id);
        changed.add(message_id);
      }
      this.sql.exec("DELETE FROM members WHERE user_id = ?", userId);
    }
    return { changed: [...changed].flatMap((id) => this.findById(id) ?? []), done };
  }

  private toMessage(row: MessageRow): ChatMessage {
    const message: ChatMessage = {
      id: row.id,
      seq: row.seq,
      updatedSeq: row.updated_seq,
      clientId: row.client_id,
      roomId: this.roomId,
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      body: row.body,
      createdAt: new Date(row.created_at).toISOString(),
    };
    if (row.reply_to) message.replyTo = row.reply_to;
    if (row.edited_at) message.editedAt = new Date(row.edited_at).toISOString();
    if (row.deleted_at) message.deletedAt = new Date(row.deleted_at).toISOString();
    if (row.mentions) message.mentions = JSON.parse(row.mentions);
    if (row.share) message.share = JSON.parse(row.share);
    if (!row.deleted_at) {
      const reactions = this.reactionsOf(row.id);
      if (Object.keys(reactions).length > 0) message.reactions = reactions;
    }
    return message;
  }
}

/** The room's next update number: every insert, edit, delete and reaction change takes one. */
const NEXT_UPDATE = "(SELECT COALESCE(MAX(updated_seq), 0) + 1 FROM messages)";

/** Rooms created before messages carried an update number get the column (and its index) once. */
function addUpdatedSeq(sql: SqlStorage): void {
  const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('messages')").toArray();
  if (!columns.some((c) => c.name === "updated_seq")) {
    sql.exec("ALTER TABLE messages ADD COLUMN updated_seq INTEGER NOT NULL DEFAULT 0");
    sql.exec("UPDATE messages SET updated_seq = seq");
  }
  sql.exec("CREATE INDEX IF NOT EXISTS messages_updated_seq_idx ON messages (updated_seq)");
}

function toMember(row: MemberRow): MemberRecord {
  return {
    id: row.user_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    isAdmin: row.is_admin === 1,
    mutedUntil: row.muted_until,
    banned: row.banned === 1,
    lastReadSeq: row.last_read_seq,
  };
}
