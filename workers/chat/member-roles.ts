import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import { findUserById } from "../auth/users.ts";
import { auditInsert } from "../catalog/admin.ts";
import type { Db } from "../db/client.ts";
import { roomMembers } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, forbidden, notFound } from "../shared/errors.ts";
import { roomOverrideAudit } from "./room-audit.ts";
import { roomStub } from "./room-stub.ts";
import { moderatableRoom, roomRef } from "./rooms.ts";

/** Sets a member's role (never the owner's) in D1, then in the room at once. */
export async function setMemberRole(
  env: Env,
  db: Db,
  actor: AuthUser,
  roomId: string,
  userId: string,
  role: "moderator" | "member",
  reason?: string,
) {
  const access = await moderatableRoom(db, roomId, actor);
  if (access.room.ownerId !== actor.id && actor.role !== "admin") {
    throw forbidden("Only the room's owner appoints moderators.");
  }
  if (userId === access.room.ownerId) throw new ApiError(409, "owner_role", "The owner's role does not change.");
  const where = and(eq(roomMembers.roomId, access.room.id), eq(roomMembers.userId, userId));
  const [member, user] = await Promise.all([
    db.select({ role: roomMembers.role }).from(roomMembers).where(where).get(),
    findUserById(env.DB, userId),
  ]);
  if (!member || !user) throw notFound("Member");
  const audit = roomOverrideAudit(access, actor, reason, {
    action: role === "moderator" ? "room.moderator_add" : "room.moderator_remove",
    targetId: userId,
  });
  await db.batch([db.update(roomMembers).set({ role }).where(where), ...(audit ? [auditInsert(db, audit)] : [])]);
  await roomStub(env, access.room.id).syncMembers(roomRef(access.room), [
    { id: user.id, username: user.username, displayName: user.displayName, isAdmin: user.role === "admin", role },
  ]);
  return { userId, role };
}
