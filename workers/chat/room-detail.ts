import type { z } from "zod";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { roomMembers, rooms } from "../db/schema/index.ts";
import { newId } from "../shared/ids.ts";
import { roomListItem } from "./room-list.ts";
import { moderatorsOf, readPositionOf, visibleRoom } from "./rooms.ts";
import type { CreateRoomSchema, RoomSchema } from "./schemas.ts";

export type RoomDetail = z.infer<typeof RoomSchema>;

/** A new public or private room; the caller owns it. */
export async function createRoom(
  db: Db,
  viewer: AuthUser,
  body: z.infer<typeof CreateRoomSchema>,
): Promise<RoomDetail> {
  const now = Date.now();
  const id = newId(now);
  const [[room]] = await db.batch([
    db
      .insert(rooms)
      .values({ id, kind: body.kind, name: body.name, topic: body.topic ?? "", ownerId: viewer.id, createdAt: now })
      .returning(),
    db.insert(roomMembers).values({ roomId: id, userId: viewer.id, role: "owner", joinedAt: now }),
  ]);
  const item = await roomListItem(db, room as NonNullable<typeof room>, viewer.id, { role: "owner", lastReadSeq: 0 });
  const self = { id: viewer.id, username: viewer.username, displayName: viewer.displayName };
  return { ...item, moderators: [self], canModerate: true };
}

/** The room as the viewer sees it (404 when they may not). */
export async function getRoomForViewer(db: Db, viewer: AuthUser, roomId: string): Promise<RoomDetail> {
  const access = await visibleRoom(db, roomId, viewer);
  const item = await roomListItem(db, access.room, viewer.id, {
    role: access.role,
    lastReadSeq: await readPositionOf(db, access.room.id, viewer.id),
  });
  return { ...item, moderators: await moderatorsOf(db, access.room.id), canModerate: access.canModerate };
}
