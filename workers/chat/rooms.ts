import { and, eq, inArray, or } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import {
  type MemberRole,
  type RoomKind,
  roomBans,
  roomMembers,
  roomMutes,
  rooms,
  userBlocks,
  users,
} from "../db/schema/index.ts";
import { ApiError, forbidden, notFound } from "../shared/errors.ts";
import type { RoomRef, RoomUser } from "./grant.ts";

export type RoomRow = typeof rooms.$inferSelect;

/** What one user may do in one room, from D1. */
export type RoomAccess = {
  room: RoomRow;
  role: MemberRole | null;
  banned: boolean;
  mutedUntil: number | null;
  /** May know the room exists and read it. */
  canSee: boolean;
  /** May read and connect. */
  canEnter: boolean;
  /** May ban, mute, kick, invite and delete any message. */
  canModerate: boolean;
};

export function roomRef(room: RoomRow): RoomRef {
  return { roomId: room.id, kind: room.kind, name: room.name };
}

export function roomUser(user: AuthUser): RoomUser {
  const base = { id: user.id, username: user.username, displayName: user.displayName, isAdmin: user.role === "admin" };
  return user.emailVerified ? base : { ...base, emailUnverified: true };
}

export function dmKeyOf(a: string, b: string): string {
  return [a, b].sort().join(":");
}

export async function accessOf(db: Db, roomId: string, user: AuthUser): Promise<RoomAccess | undefined> {
  const [roomRows, memberRows, banRows, muteRows] = await db.batch([
    db.select().from(rooms).where(eq(rooms.id, roomId)),
    db
      .select({ role: roomMembers.role })
      .from(roomMembers)
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, user.id))),
    db
      .select({ at: roomBans.createdAt })
      .from(roomBans)
      .where(and(eq(roomBans.roomId, roomId), eq(roomBans.userId, user.id))),
    db
      .select({ until: roomMutes.until })
      .from(roomMutes)
      .where(and(eq(roomMutes.roomId, roomId), eq(roomMutes.userId, user.id))),
  ]);
  const room = roomRows[0];
  if (!room) return undefined;
  const role = memberRows[0]?.role ?? null;
  const banned = banRows.length > 0;
  const isAdmin = user.role === "admin";
  // Direct messages are private to their two members, admins included.
  const canSee = room.kind === "public" || role !== null || (isAdmin && room.kind === "private");
  return {
    room,
    role,
    banned,
    mutedUntil: muteRows[0]?.until ?? null,
    canSee,
    canEnter: canSee && !banned,
    canModerate: room.kind !== "dm" && (isAdmin || role === "owner" || role === "moderator"),
  };
}

/** The room if this user may see it (404 otherwise, so private rooms do not reveal themselves). */
export async function visibleRoom(db: Db, roomId: string, user: AuthUser): Promise<RoomAccess> {
  const access = await accessOf(db, roomId, user);
  if (!access?.canSee) throw notFound("Room");
  return access;
}

/** The room if this user may enter it: 404 unseen, 403 banned or blocked. */
export async function enterableRoom(db: Db, roomId: string, user: AuthUser): Promise<RoomAccess> {
  const access = await visibleRoom(db, roomId, user);
  if (access.banned) throw new ApiError(403, "banned", "You are banned from this room.");
  if (access.room.kind === "dm") {
    const other = await otherDmMember(db, access.room.id, user.id);
    if (other && (await blockedBetween(db, user.id, other))) {
      throw new ApiError(403, "blocked", "One of you has blocked the other.");
    }
  }
  return access;
}

export async function moderatableRoom(db: Db, roomId: string, user: AuthUser): Promise<RoomAccess> {
  const access = await visibleRoom(db, roomId, user);
  if (!access.canModerate) throw forbidden("Only the room's owner, its moderators and admins can do that.");
  return access;
}

/** Makes a signed-in user a member of a public room (idempotent). */
export async function joinPublicRoom(db: Db, access: RoomAccess, userId: string): Promise<MemberRole> {
  if (access.role) return access.role;
  await db
    .insert(roomMembers)
    .values({ roomId: access.room.id, userId, role: "member", joinedAt: Date.now(), lastReadSeq: access.room.lastSeq })
    .onConflictDoNothing();
  return "member";
}

export async function otherDmMember(db: Db, roomId: string, me: string): Promise<string | undefined> {
  const rows = await db.select({ userId: roomMembers.userId }).from(roomMembers).where(eq(roomMembers.roomId, roomId));
  return rows.find((r) => r.userId !== me)?.userId;
}

export async function blockedBetween(db: Db, a: string, b: string): Promise<boolean> {
  const row = await db
    .select({ at: userBlocks.createdAt })
    .from(userBlocks)
    .where(
      or(
        and(eq(userBlocks.blockerId, a), eq(userBlocks.blockedId, b)),
        and(eq(userBlocks.blockerId, b), eq(userBlocks.blockedId, a)),
      ),
    )
    .get();
  return !!row;
}

export type Summary = { id: string; username: string; displayName: string };

export async function summariesOf(db: Db, ids: string[]): Promise<Map<string, Summary>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function moderatorsOf(db: Db, roomId: string): Promise<Summary[]> {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(and(eq(roomMembers.roomId, roomId), inArray(roomMembers.role, ["owner", "moderator"])));
}

export function newRoomKind(kind: RoomKind): kind is "public" | "private" {
  return kind === "public" || kind === "private";
}

/** The user's read position in the room, or null when they are not a member. */
export async function readPositionOf(db: Db, roomId: string, userId: string): Promise<number | null> {
  const row = await db
    .select({ lastReadSeq: roomMembers.lastReadSeq })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
    .get();
  return row?.lastReadSeq ?? null;
}
