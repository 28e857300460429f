import { and, desc, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import { findProfileUser } from "../catalog/access.ts";
import type { Db } from "../db/client.ts";
import { roomBans, roomInvites, roomMembers, rooms } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, notFound } from "../shared/errors.ts";
import type { Page } from "../shared/keyset.ts";
import { type RoomListItem, roomListItem } from "./room-list.ts";
import { roomStub } from "./room-stub.ts";
import { moderatableRoom, roomRef, roomUser, type Summary, summariesOf } from "./rooms.ts";

export type PendingInvite = { room: RoomListItem; user: Summary; invitedBy: Summary; createdAt: string };

/** Invitations into private rooms waiting for the viewer, newest first (up to 100). */
export async function pendingInvites(db: Db, viewer: AuthUser): Promise<Page<PendingInvite>> {
  const rows = await db
    .select({ room: rooms, invitedBy: roomInvites.invitedBy, createdAt: roomInvites.createdAt })
    .from(roomInvites)
    .innerJoin(rooms, eq(rooms.id, roomInvites.roomId))
    .where(eq(roomInvites.userId, viewer.id))
    .orderBy(desc(roomInvites.createdAt))
    .limit(100);
  const people = await summariesOf(db, [viewer.id, ...rows.map((r) => r.invitedBy)]);
  const unknown = { id: "", username: "", displayName: "" };
  const items = await Promise.all(
    rows.map(async (row) => ({
      room: await roomListItem(db, row.room, viewer.id, { role: null, lastReadSeq: null }),
      user: people.get(viewer.id) ?? unknown,
      invitedBy: people.get(row.invitedBy) ?? unknown,
      createdAt: new Date(row.createdAt).toISOString(),
    })),
  );
  return { items, nextCursor: null };
}

/** Makes the viewer a member of a room they were invited into (404 without an invitation). */
export async function acceptInvite(env: Env, db: Db, viewer: AuthUser, roomId: string): Promise<RoomListItem> {
  const invite = await db
    .select({ room: rooms })
    .from(roomInvites)
    .innerJoin(rooms, eq(rooms.id, roomInvites.roomId))
    .where(and(eq(roomInvites.roomId, roomId), eq(roomInvites.userId, viewer.id)))
    .get();
  if (!invite) throw notFound("Invitation");
  await db.batch([
    db
      .insert(roomMembers)
      .values({ roomId, userId: viewer.id, role: "member", joinedAt: Date.now(), lastReadSeq: 0 })
      .onConflictDoNothing(),
    db.delete(roomInvites).where(and(eq(roomInvites.roomId, roomId), eq(roomInvites.userId, viewer.id))),
  ]);
  await roomStub(env, roomId).syncMembers(roomRef(invite.room), [{ ...roomUser(viewer), role: "member" }]);
  return roomListItem(db, invite.room, viewer.id, { role: "member", lastReadSeq: 0 });
}

/** Drops the viewer's invitation into the room, if there is one. */
export async function declineInvite(db: Db, viewer: AuthUser, roomId: string): Promise<void> {
  await db.delete(roomInvites).where(and(eq(roomInvites.roomId, roomId), eq(roomInvites.userId, viewer.id)));
}

/** Invites a user into a private room the viewer moderates: 409 for a member, a banned user or a non-private room. */
export async function inviteToRoom(
  db: Db,
  viewer: AuthUser,
  roomId: string,
  username: string,
): Promise<{ roomId: string; user: Summary; createdAt: string }> {
  const access = await moderatableRoom(db, roomId, viewer);
  if (access.room.kind !== "private") {
    throw new ApiError(409, "not_private", "Only private rooms take invitations; anyone can join this one.");
  }
  const target = await findProfileUser(db, username, undefined);
  const [[member], [ban]] = await db.batch([
    db
      .select({ role: roomMembers.role })
      .from(roomMembers)
      .where(and(eq(roomMembers.roomId, access.room.id), eq(roomMembers.userId, target.id))),
    db
      .select({ at: roomBans.createdAt })
      .from(roomBans)
      .where(and(eq(roomBans.roomId, access.room.id), eq(roomBans.userId, target.id))),
  ]);
  if (member) throw new ApiError(409, "already_member", "That user is already in the room.");
  if (ban) throw new ApiError(409, "banned", "That user is banned from this room; lift the ban first.");
  const now = Date.now();
  await db
    .insert(roomInvites)
    .values({ roomId: access.room.id, userId: target.id, invitedBy: viewer.id, createdAt: now })
    .onConflictDoNothing();
  const people = await summariesOf(db, [target.id]);
  return { roomId: access.room.id, user: people.get(target.id) as Summary, createdAt: new Date(now).toISOString() };
}
