import { createRoute } from "@hono/zod-openapi";
import { assertEmailVerified } from "../auth/email-gate.ts";
import { signedIn } from "../auth/route-presets.ts";
import { ApiError } from "../shared/errors.ts";
import { createRouter, endpoint, errorResponse, jsonBody, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { createRoom, getRoomForViewer } from "./room-detail.ts";
import { listRooms } from "./room-list.ts";
import { roomStub } from "./room-stub.ts";
import { visibleRoom } from "./rooms.ts";
import {
  ChatMessageSchema,
  CreateRoomSchema,
  MessagesQuery,
  RoomIdParam,
  RoomListItemSchema,
  RoomSchema,
} from "./schemas.ts";

const listRoute = createRoute({
  ...endpoint("get", "/rooms", "chat"),
  summary: "Public rooms and the caller's rooms, most recently active first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(RoomListItemSchema), "A page of rooms") }),
});

const createRoomRoute = createRoute({
  ...endpoint("post", "/rooms", "chat"),
  request: jsonBody(CreateRoomSchema),
  ...signedIn({
    201: jsonResponse(RoomSchema, "The new room; the caller owns it"),
    403: errorResponse("The email address is not verified yet (email_unverified)"),
  }),
});

const getRoute = createRoute({
  ...endpoint("get", "/rooms/{id}", "chat"),
  request: { params: RoomIdParam },
  ...signedIn({
    200: jsonResponse(RoomSchema, "The room"),
    404: errorResponse("No such room, or not one the caller may see"),
  }),
});

const messagesRoute = createRoute({
  ...endpoint("get", "/rooms/{id}/messages", "chat"),
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
    return c.json(await listRooms(c.env.DB, c.var.db, c.var.viewer.id, c.req.valid("query")), 200);
  })
  .openapi(createRoomRoute, async (c) => {
    assertEmailVerified(c.var.viewer);
    return c.json(await createRoom(c.var.db, c.var.viewer, c.req.valid("json")), 201);
  })
  .openapi(getRoute, async (c) => c.json(await getRoomForViewer(c.var.db, c.var.viewer, c.req.valid("param").id), 200))
  .openapi(messagesRoute, async (c) => {
    const db = c.var.db;
    const access = await visibleRoom(db, c.req.valid("param").id, c.var.viewer);
    if (access.banned) throw new ApiError(403, "banned", "You are banned from this room.");
    const { before, limit } = c.req.valid("query");
    const page = await roomStub(c.env, access.room.id).messagesPage(before, limit);
    const first = page.messages[0];
    return c.json({ items: page.messages, nextCursor: page.hasMore && first ? first.id : null }, 200);
  });
