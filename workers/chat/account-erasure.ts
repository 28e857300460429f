import { DELETED_DISPLAY_NAME, DELETED_USER_ID, DELETED_USERNAME } from "../auth/deleted-user.ts";
import type { Env } from "../env.ts";
import type { RoomRef } from "./grant.ts";
import { roomStub } from "./room-stub.ts";

// Account deletion, chat's part. Messages live in each room's object; D1 knows which rooms the
// user is in (`room_members`, and `room_bans` for rooms they were banned from). Every step is
// repeatable: the deletion task may run it again after a failure.

type RoomOfUser = RoomRef & { ownerId: string };

/** The rooms where the user may have written: those they belong to and those they were banned from. */
export async function roomsOfUser(d1: D1Database, userId: string): Promise<RoomOfUser[]> {
  const { results } = await d1
    .prepare(
      `SELECT id AS roomId, kind, name, owner_id AS ownerId FROM rooms
        WHERE id IN (SELECT room_id FROM room_members WHERE user_id = ?1 UNION SELECT room_id FROM room_bans WHERE user_id = ?1)
           OR owner_id = ?1
        ORDER BY id`,
    )
    .bind(userId)
    .all<RoomOfUser>();
  return results;
}

const ANONYMOUS = { id: DELETED_USER_ID, username: DELETED_USERNAME, displayName: DELETED_DISPLAY_NAME };

/**
 * Anonymises the user's messages in every room they are in, hands the rooms they own to someone
 * else (a moderator first, then the longest-standing member; a DM to the other person) or removes
 * those nobody else is in, and makes the bans, mutes and invitations they gave outlive them.
 * Run before the user row is deleted (its cascades would otherwise take their rooms).
 */
export async function eraseChatOf(env: Env, userId: string): Promise<void> {
  for (const room of await roomsOfUser(env.DB, userId)) {
    const stub = roomStub(env, room.roomId);
    const ref = { roomId: room.roomId, kind: room.kind, name: room.name };
    // A prolific author's messages are anonymised a batch per call, until none is left.
    for (let done = false; !done; ) done = (await stub.eraseAuthor(ref, userId, ANONYMOUS)).done;
    if (room.ownerId === userId) await handOver(env, room, userId);
  }
  await env.DB.batch([
    env.DB.prepare("UPDATE room_bans SET banned_by = ?1 WHERE banned_by = ?2").bind(DELETED_USER_ID, userId),
    env.DB.prepare("UPDATE room_mutes SET muted_by = ?1 WHERE muted_by = ?2").bind(DELETED_USER_ID, userId),
    env.DB.prepare("UPDATE room_invites SET invited_by = ?1 WHERE invited_by = ?2").bind(DELETED_USER_ID, userId),
    env.DB.prepare("UPDATE message_reports SET message_user_id = ?1 WHERE message_user_id = ?2").bind(
      DELETED_USER_ID,
      userId,
    ),
  ]);
}

async function handOver(env: Env, room: RoomOfUser, userId: string): Promise<void> {
  const heir = await env.DB.prepare(
    `SELECT m.user_id AS id, u.username, u.display_name AS displayName, u.role AS siteRole, m.role
       FROM room_members m JOIN users u ON u.id = m.user_id
      WHERE m.room_id = ?1 AND m.user_id != ?2 AND u.status != 'deleted'
      ORDER BY CASE m.role WHEN 'moderator' THEN 0 ELSE 1 END, m.joined_at, m.user_id
      LIMIT 1`,
  )
    .bind(room.roomId, userId)
    .first<{ id: string; username: string; displayName: string; siteRole: string; role: string }>();
  if (!heir) {
    await env.DB.prepare("DELETE FROM rooms WHERE id = ?1").bind(room.roomId).run();
    await roomStub(env, room.roomId).dissolve();
    return;
  }
  // A DM has no owner role to speak of: only the room's row changes hands.
  const role = room.kind === "dm" ? "member" : "owner";
  await env.DB.batch([
    env.DB.prepare("UPDATE rooms SET owner_id = ?1 WHERE id = ?2 AND owner_id = ?3").bind(heir.id, room.roomId, userId),
    env.DB.prepare("UPDATE room_members SET role = ?1 WHERE room_id = ?2 AND user_id = ?3").bind(
      role,
      room.roomId,
      heir.id,
    ),
  ]);
  await roomStub(env, room.roomId).syncMembers({ roomId: room.roomId, kind: room.kind, name: room.name }, [
    { id: heir.id, username: heir.username, displayName: heir.displayName, isAdmin: heir.siteRole === "admin", role },
  ]);
}
