import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import { findProfileUser } from "../catalog/access.ts";
import type { Db } from "../db/client.ts";
import { rooms, userBlocks } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { type RoomListItem, roomListItem } from "./room-list.ts";
import { roomStub } from "./room-stub.ts";
import { blockedBetween, dmKeyOf, readPositionOf, roomRef } from "./rooms.ts";

/** The one DM room between the viewer and that user, created on the first call from either side. */
export async function openDm(
  env: Env,
  db: Db,
  viewer: AuthUser,
  username: string,
): Promise<{ room: RoomListItem; created: boolean }> {
  const other = await findProfileUser(db, username, undefined);
  if (other.id === viewer.id) throw new ApiError(400, "validation_failed", "You cannot message yourself.");
  if (await blockedBetween(db, viewer.id, other.id)) {
    throw new ApiError(403, "blocked", "You cannot message this user.");
  }
  const dmKey = dmKeyOf(viewer.id, other.id);
  let room = await db.select().from(rooms).where(eq(rooms.dmKey, dmKey)).get();
  let created = false;
  if (!room) {
    const now = Date.now();
    const id = newId(now);
    // Both sides may ask at once: the unique dm_key lets one insert win; the members go in only with it.
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO rooms (id, kind, name, owner_id, dm_key, created_at) VALUES (?1, 'dm', '', ?2, ?3, ?4) ON CONFLICT DO NOTHING",
      ).bind(id, viewer.id, dmKey, now),
      env.DB.prepare(
        `INSERT INTO room_members (room_id, user_id, role, joined_at, last_read_seq)
         SELECT ?1, users.id, 'member', ?2, 0 FROM users
          WHERE users.id IN (?3, ?4) AND EXISTS (SELECT 1 FROM rooms WHERE rooms.id = ?1)`,
      ).bind(id, now, viewer.id, other.id),
    ]);
    room = await db.select().from(rooms).where(eq(rooms.dmKey, dmKey)).get();
    created = room?.id === id;
    if (!room) throw new Error("the DM room vanished after its insert");
    if (created) {
      await roomStub(env, room.id).syncMembers(roomRef(room), [
        {
          id: viewer.id,
          username: viewer.username,
          displayName: viewer.displayName,
          isAdmin: viewer.role === "admin",
          role: "member",
        },
        {
          id: other.id,
          username: other.username,
          displayName: other.displayName,
          isAdmin: other.role === "admin",
          role: "member",
        },
      ]);
    }
  }
  const lastReadSeq = (await readPositionOf(db, room.id, viewer.id)) ?? 0;
  return { room: await roomListItem(db, room, viewer.id, { role: "member", lastReadSeq }), created };
}

/** Blocks that user (idempotent) and closes any open DM between the two at once. */
export async function blockUser(env: Env, db: Db, viewer: AuthUser, username: string): Promise<void> {
  const other = await findProfileUser(db, username, undefined);
  if (other.id === viewer.id) throw new ApiError(400, "validation_failed", "You cannot block yourself.");
  await db
    .insert(userBlocks)
    .values({ blockerId: viewer.id, blockedId: other.id, createdAt: Date.now() })
    .onConflictDoNothing();
  // An open DM between them closes now; tickets to it are refused from here on.
  const room = await db
    .select()
    .from(rooms)
    .where(eq(rooms.dmKey, dmKeyOf(viewer.id, other.id)))
    .get();
  if (room) {
    const stub = roomStub(env, room.id);
    await stub.moderate(roomRef(room), { type: "kick", userId: other.id });
    await stub.moderate(roomRef(room), { type: "kick", userId: viewer.id });
  }
}

/** Lifts the viewer's block of that user (idempotent). */
export async function unblockUser(db: Db, viewer: AuthUser, username: string): Promise<void> {
  const other = await findProfileUser(db, username, undefined);
  await db.delete(userBlocks).where(and(eq(userBlocks.blockerId, viewer.id), eq(userBlocks.blockedId, other.id)));
}
