import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./auth.ts";

export const ROOM_KINDS = ["public", "private", "dm"] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];
export const MEMBER_ROLES = ["owner", "moderator", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Room metadata. The messages themselves live in the room's Durable Object; the object copies
 * its latest sequence number and message here (at most about once a second) so the room list can
 * show unread counts and the last message without waking every room.
 */
export const rooms = sqliteTable(
  "rooms",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ROOM_KINDS }).notNull(),
    name: text("name").notNull(),
    topic: text("topic").notNull().default(""),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** For a DM: the two user ids, sorted and joined by ":" — one room per pair. */
    dmKey: text("dm_key"),
    createdAt: integer("created_at").notNull(),
    lastSeq: integer("last_seq").notNull().default(0),
    /** JSON `{id, userId, body, createdAt}` of the latest message, or null. */
    lastMessage: text("last_message", { mode: "json" }).$type<{
      id: string;
      userId: string;
      body: string;
      createdAt: string;
    }>(),
    lastMessageAt: integer("last_message_at"),
    /** Set by the room's object while a listening party is on (for the "Live now" list). */
    partyStartedAt: integer("party_started_at"),
    partyTrackId: text("party_track_id"),
  },
  (t) => [uniqueIndex("rooms_dm_key_idx").on(t.dmKey), index("rooms_kind_last_idx").on(t.kind, t.lastMessageAt)],
);

/** Who belongs to a room, their role there and how far they have read. */
export const roomMembers = sqliteTable(
  "room_members",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBER_ROLES }).notNull().default("member"),
    joinedAt: integer("joined_at").notNull(),
    lastReadSeq: integer("last_read_seq").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("room_members_user_idx").on(t.userId)],
);

export const roomInvites = sqliteTable(
  "room_invites",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    invitedBy: text("invited_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("room_invites_user_idx").on(t.userId)],
);

export const roomBans = sqliteTable(
  "room_bans",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    bannedBy: text("banned_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull().default(""),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

export const roomMutes = sqliteTable(
  "room_mutes",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    mutedBy: text("muted_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    until: integer("until").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] })],
);

/** `blockerId` does not want to hear from `blockedId` (no DMs either way). */
export const userBlocks = sqliteTable(
  "user_blocks",
  {
    blockerId: text("blocker_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: text("blocked_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index("user_blocks_blocked_idx").on(t.blockedId)],
);

/** A reported message, with a copy of its text as it was, for admins. */
export const messageReports = sqliteTable(
  "message_reports",
  {
    id: text("id").primaryKey(),
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    messageUserId: text("message_user_id").notNull(),
    messageBody: text("message_body").notNull(),
    reporterId: text("reporter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull().default(""),
    createdAt: integer("created_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [
    uniqueIndex("message_reports_once_idx").on(t.messageId, t.reporterId),
    index("message_reports_open_idx").on(t.resolvedAt, t.createdAt),
  ],
);

/**
 * A user's global status, written by the user (heartbeats while the app is open, the track
 * they play) and read by followers on demand: one row per user, never one write per follower.
 */
export const userStatus = sqliteTable("user_status", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  lastSeenAt: integer("last_seen_at").notNull(),
  trackId: text("track_id"),
  /** When set, followers see neither online state nor track. */
  hidden: integer("hidden", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at").notNull(),
});
