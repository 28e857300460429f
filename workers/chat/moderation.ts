import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import { findUserById } from "../auth/users.ts";
import { auditInsert } from "../catalog/admin.ts";
import type { Db } from "../db/client.ts";
import { roomBans, roomInvites, roomMembers, roomMutes } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, notFound } from "../shared/errors.ts";
import { roomOverrideAudit } from "./room-audit.ts";
import { roomStub } from "./room-stub.ts";
import { moderatableRoom, type RoomAccess, roomRef, type Summary } from "./rooms.ts";

/**
 * Moderation: each action needs a room the viewer moderates (403/404), writes D1, then tells the
 * room's object, which closes or refuses the target's sockets at once. A site admin acting in a
 * room they do not moderate must give a reason, and the action is audited in the same batch.
 */

/** The target of a moderation action: must exist, and the owner cannot be moderated. */
async function targetOf(env: Env, access: RoomAccess, userId: string, actorId: string) {
  const user = await findUserById(env.DB, userId);
  if (!user) throw notFound("User");
  if (user.id === access.room.ownerId) throw new ApiError(403, "forbidden", "The room's owner cannot be moderated.");
  if (user.id === actorId) throw new ApiError(400, "validation_failed", "You cannot do that to yourself.");
  return user;
}

export async function banFromRoom(
  env: Env,
  db: Db,
  viewer: AuthUser,
  roomId: string,
  ban: { userId: string; reason?: string },
): Promise<{ roomId: string; user: Summary; reason: string; createdAt: string }> {
  const access = await moderatableRoom(db, roomId, viewer);
  const target = await targetOf(env, access, ban.userId, viewer.id);
  const reason = ban.reason ?? "";
  const audit = roomOverrideAudit(access, viewer, reason, { action: "room.ban", targetId: target.id });
  const now = Date.now();
  const id = access.room.id;
  await db.batch([
    db
      .insert(roomBans)
      .values({ roomId: id, userId: target.id, bannedBy: viewer.id, reason, createdAt: now })
      .onConflictDoUpdate({ target: [roomBans.roomId, roomBans.userId], set: { reason, bannedBy: viewer.id } }),
    db.delete(roomMembers).where(and(eq(roomMembers.roomId, id), eq(roomMembers.userId, target.id))),
    db.delete(roomInvites).where(and(eq(roomInvites.roomId, id), eq(roomInvites.userId, target.id))),
    ...(audit ? [auditInsert(db, audit)] : []),
  ]);
  await roomStub(env, id).moderate(roomRef(access.room), { type: "ban", userId: target.id });
  const user = { id: target.id, username: target.username, displayName: target.displayName };
  return { roomId: id, user, reason, createdAt: new Date(now).toISOString() };
}

export async function unbanFromRoom(
  env: Env,
  db: Db,
  viewer: AuthUser,
  roomId: string,
  userId: string,
  reason?: string,
): Promise<void> {
  const access = await moderatableRoom(db, roomId, viewer);
  const audit = roomOverrideAudit(access, viewer, reason, { action: "room.unban", targetId: userId });
  await db.batch([
    db.delete(roomBans).where(and(eq(roomBans.roomId, access.room.id), eq(roomBans.userId, userId))),
    ...(audit ? [auditInsert(db, audit)] : []),
  ]);
  await roomStub(env, access.room.id).moderate(roomRef(access.room), { type: "unban", userId });
}

export async function muteInRoom(
  env: Env,
  db: Db,
  viewer: AuthUser,
  roomId: string,
  mute: { userId: string; minutes: number },
  reason?: string,
): Promise<{ userId: string; until: string }> {
  const access = await moderatableRoom(db, roomId, viewer);
  const target = await targetOf(env, access, mute.userId, viewer.id);
  const audit = roomOverrideAudit(access, viewer, reason, {
    action: "room.mute",
    targetId: target.id,
    details: { minutes: mute.minutes },
  });
  const until = Date.now() + mute.minutes * 60_000;
  await db.batch([
    db
      .insert(roomMutes)
      .values({ roomId: access.room.id, userId: target.id, mutedBy: viewer.id, until })
      .onConflictDoUpdate({ target: [roomMutes.roomId, roomMutes.userId], set: { until, mutedBy: viewer.id } }),
    ...(audit ? [auditInsert(db, audit)] : []),
  ]);
  await roomStub(env, access.room.id).moderate(roomRef(access.room), { type: "mute", userId: target.id, until });
  return { userId: target.id, until: new Date(until).toISOString() };
}

export async function kickFromRoom(
  env: Env,
  db: Db,
  viewer: AuthUser,
  roomId: string,
  userId: string,
  reason?: string,
): Promise<{ userId: string; closedSockets: number }> {
  const access = await moderatableRoom(db, roomId, viewer);
  const target = await targetOf(env, access, userId, viewer.id);
  const audit = roomOverrideAudit(access, viewer, reason, { action: "room.kick", targetId: target.id });
  await db.batch([
    db.delete(roomMembers).where(and(eq(roomMembers.roomId, access.room.id), eq(roomMembers.userId, target.id))),
    ...(audit ? [auditInsert(db, audit)] : []),
  ]);
  const { closedSockets } = await roomStub(env, access.room.id).moderate(roomRef(access.room), {
    type: "kick",
    userId: target.id,
  });
  return { userId: target.id, closedSockets };
}
