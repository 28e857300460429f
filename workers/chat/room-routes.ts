import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { signedIn } from "../auth/route-presets.ts";
import { roomMembers, rooms } from "../db/schema/index.ts";
import { ApiError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { createRouter, errorResponse, jsonBody, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { listRooms, roomListItem } from "./room-list.ts";
import { roomStub } from "./room-stub.ts";
import { moderatorsOf, visibleRoom } from "./rooms.ts";
import {
  ChatMessageSchema,
  CreateRoomSchema,
  MessagesQuery,
  RoomIdParam,
  RoomListItemSchema,
  RoomSchema,
} from "./schemas.ts";

const listRoute = createRoute({
  method: "get",
  path: "/rooms",
  tags: ["chat"],
  summary: "Public rooms and the caller's rooms, most recently active first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(RoomListItemSchema), "A page of rooms") }),
});

const createRoomRoute = createRoute({
  method: "post",
  path: "/rooms",
  tags: ["chat"],
  request: jsonBody(CreateRoomSchema),
  ...signedIn({ 201: jsonResponse(RoomSchema, "The new room; the caller owns it") }),
});

const getRoute = createRoute({
  method: "get",
  path: "/rooms/{id}",
  tags: ["chat"],
  request: { params: RoomIdParam },
  ...signedIn({
    200: jsonResponse(RoomSchema, "The room"),
    404: errorResponse("No such room, or not one the caller may see"),
  }),
});

const messagesRoute = createRoute({
  method: "get",
  path: "/rooms/{id}/messages",
  tags: ["chat"],
  summary: "History, newest page first; each page oldest first; `nextCursor` is the `before` of the next page",
  request: { params: RoomIdParam, query: MessagesQuery },
  ...signedIn({
    200: jsonResponse(pageOf(ChatMessageSchema), "A page of messages, oldest first"),
    403: errorResponse("Banned from the room"),
    404: errorResponse("No such room"),
  }),
});

export const roomRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    return c.json(await listRooms(c.env.DB, c.var.db, c.var.viewer.id, cursor, limit), 200);
  })
  .openapi(createRoomRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const body = c.req.valid("json");
    const now = Date.now();
    const id = newId(now);
    const [[room]] = await db.batch([
      db
        .insert(rooms)
        .values({ id, kind: body.kind, name: body.name, topic: body.topic ?? "", ownerId: me.id, createdAt: now })
        .returning(),
      db.insert(roomMembers).values({ roomId: id, userId: me.id, role: "owner", joinedAt: now }),
    ]);
    const item = await roomListItem(db, room as NonNullable<typeof room>, me.id, { role: "owner", lastReadSeq: 0 });
    const self = { id: me.id, username: me.username, displayName: me.displayName };
    return c.json({ ...item, moderators: [self], canModerate: true }, 201);
  })
  .openapi(getRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const access = await visibleRoom(db, c.req.valid("param").id, me);
    const membership = await db
      .select({ lastReadSeq: roomMembers.lastReadSeq })
      .from(roomMembers)
      .where(and(eq(roomMembers.roomId, access.room.id), eq(roomMembers.userId, me.id)))
      .get();
    const item = await roomListItem(db, access.room, me.id, {
      role: access.role,
      lastReadSeq: membership?.lastReadSeq ?? null,
    });
    return c.json(
      { ...item, moderators: await moderatorsOf(db, access.room.id), canModerate: access.canModerate },
      200,
    );
  })
  .openapi(messagesRoute, async (c) => {
    const db = c.var.db;
    const access = await visibleRoom(db, c.req.valid("param").id, c.var.viewer);
    if (access.banned) throw new ApiError(403, "banned", "You are banned from this room.");
    const { before, limit } = c.req.valid("query");
    const page = await roomStub(c.env, access.room.id).messagesPage(before, limit);
    const first = page.messages[0];
    return c.json({ items: page.messages, nextCursor: page.hasMore && first ? first.id : null }, 200);
  });
