import { and, inArray, ne } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../db/client.ts";
import { type MemberRole, type RoomKind, roomMembers } from "../db/schema/index.ts";
import { keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import type { RoomRow } from "./rooms.ts";
import { summariesOf } from "./rooms.ts";
import type { RoomListItemSchema } from "./schemas.ts";

export type RoomListItem = z.infer<typeof RoomListItemSchema>;

type ListRow = {
  id: string;
  kind: RoomKind;
  name: string;
  topic: string;
  owner_id: string;
  created_at: number;
  last_seq: number;
  last_message: string | null;
  sort_at: number;
  my_role: MemberRole | null;
  last_read_seq: number | null;
};

const SORT_AT = "COALESCE(r.last_message_at, r.created_at)";

/**
 * Public rooms and the caller's rooms (not those they are banned from), most recently active
 * first, each with its last message and the caller's unread count.
 */
export async function listRooms(d1: D1Database, db: Db, me: string, page: PageRequest): Promise<Page<RoomListItem>> {
  const rows = await keysetPage(
    page,
    async (after, take) => {
      const { results } = await d1
        .prepare(
          `SELECT r.id, r.kind, r.name, r.topic, r.owner_id, r.created_at, r.last_seq, r.last_message,
                  ${SORT_AT} AS sort_at, m.role AS my_role, m.last_read_seq
             FROM rooms r
             LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ?1
            WHERE (r.kind = 'public' OR m.user_id IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM room_bans b WHERE b.room_id = r.id AND b.user_id = ?1)
              AND (?2 IS NULL OR ${SORT_AT} < ?2 OR (${SORT_AT} = ?2 AND r.id < ?3))
            ORDER BY sort_at DESC, r.id DESC
            LIMIT ?4`,
        )
        .bind(me, after ? Number(after.k) : null, after?.id ?? null, take)
        .all<ListRow>();
      return results;
    },
    (row) => ({ k: row.sort_at, id: row.id }),
  );
  return shapePage(rows, (items) => toListItems(db, items, me));
}

/** One room as a list item for the caller. */
export async function roomListItem(
  db: Db,
  room: RoomRow,
  me: string,
  membership: { role: MemberRole | null; lastReadSeq: number | null },
): Promise<RoomListItem> {
  const [item] = await toListItems(
    db,
    [
      {
        id: room.id,
        kind: room.kind,
        name: room.name,
        topic: room.topic,
        owner_id: room.ownerId,
        created_at: room.createdAt,
        last_seq: room.lastSeq,
        last_message: room.lastMessage ? JSON.stringify(room.lastMessage) : null,
        sort_at: room.lastMessageAt ?? room.createdAt,
        my_role: membership.role,
        last_read_seq: membership.lastReadSeq,
      },
    ],
    me,
  );
  return item as RoomListItem;
}

async function toListItems(db: Db, rows: ListRow[], me: string): Promise<RoomListItem[]> {
  const dmIds = rows.filter((r) => r.kind === "dm").map((r) => r.id);
  const dmPartners =
    dmIds.length === 0
      ? []
      : await db
          .select({ roomId: roomMembers.roomId, userId: roomMembers.userId })
          .from(roomMembers)
          .where(and(inArray(roomMembers.roomId, dmIds), ne(roomMembers.userId, me)));
  const partnerOf = new Map(dmPartners.map((p) => [p.roomId, p.userId]));
  const people = await summariesOf(db, [...rows.map((r) => r.owner_id), ...partnerOf.values()]);
  return rows.map((row) => {
    const partner = partnerOf.get(row.id);
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      topic: row.topic,
      owner: people.get(row.owner_id) ?? { id: row.owner_id, username: "", displayName: "" },
      createdAt: new Date(row.created_at).toISOString(),
      lastMessage: row.last_message ? JSON.parse(row.last_message) : null,
      unreadCount: row.my_role === null ? 0 : Math.max(0, row.last_seq - (row.last_read_seq ?? 0)),
      myRole: row.my_role,
      dmWith: partner ? (people.get(partner) ?? null) : null,
    };
  });
}
