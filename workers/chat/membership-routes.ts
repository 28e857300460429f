import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNull } from "drizzle-orm";
import { adminOnly, signedIn } from "../auth/route-presets.ts";
import { messageReports, roomInvites, roomMembers, rooms } from "../db/schema/index.ts";
import { ApiError, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { createRouter, errorResponse, jsonBody, jsonResponse, pageOf } from "../shared/openapi.ts";
import { roomListItem } from "./room-list.ts";
import { roomStub } from "./room-stub.ts";
import { roomRef, roomUser, summariesOf, visibleRoom } from "./rooms.ts";
import { InviteSchema, PersonSchema, ReportBody, RoomIdParam, RoomListItemSchema } from "./schemas.ts";

const myInvitesRoute = createRoute({
  method: "get",
  path: "/me/invites",
  tags: ["chat"],
  summary: "Invitations into private rooms waiting for the caller",
  ...signedIn({ 200: jsonResponse(pageOf(InviteSchema), "Pending invitations, newest first") }),
});

const acceptRoute = createRoute({
  method: "post",
  path: "/rooms/{id}/invites/accept",
  tags: ["chat"],
  request: { params: RoomIdParam },
  ...signedIn({
    200: jsonResponse(RoomListItemSchema, "The room, now one of the caller's"),
    404: errorResponse("No invitation into this room"),
  }),
});

const declineRoute = createRoute({
  method: "delete",
  path: "/rooms/{id}/invites/mine",
  tags: ["chat"],
  request: { params: RoomIdParam },
  ...signedIn({ 204: { description: "Declined (or there was none)" } }),
});

const reportRoute = createRoute({
  method: "post",
  path: "/rooms/{id}/messages/{messageId}/reports",
  tags: ["chat"],
  summary: "Report a message to the admins (a copy of its text is kept with the report)",
  request: { params: RoomIdParam.extend({ messageId: z.string().min(1).max(64) }), ...jsonBody(ReportBody) },
  ...signedIn({
    201: jsonResponse(z.object({ id: z.string() }), "The report"),
    404: errorResponse("No such room or message"),
    409: errorResponse("Already reported by the caller"),
  }),
});

const ReportSchema = z
  .object({
    id: z.string(),
    roomId: z.string(),
    messageId: z.string(),
    messageBody: z.string(),
    author: PersonSchema.nullable(),
    reporter: PersonSchema.nullable(),
    reason: z.string(),
    createdAt: z.string(),
  })
  .openapi("MessageReport");

const reportsRoute = createRoute({
  method: "get",
  path: "/admin/chat-reports",
  tags: ["admin"],
  summary: "Open message reports, newest first (up to 100)",
  ...adminOnly({
    200: jsonResponse(pageOf(ReportSchema), "Open reports"),
    403: errorResponse("Admins only"),
  }),
});

export const membershipRoutes = createRouter()
  .openapi(myInvitesRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const rows = await db
      .select({ room: rooms, invitedBy: roomInvites.invitedBy, createdAt: roomInvites.createdAt })
      .from(roomInvites)
      .innerJoin(rooms, eq(rooms.id, roomInvites.roomId))
      .where(eq(roomInvites.userId, me.id))
      .orderBy(desc(roomInvites.createdAt))
      .limit(100);
    const people = await summariesOf(db, [me.id, ...rows.map((r) => r.invitedBy)]);
    const unknown = { id: "", username: "", displayName: "" };
    const items = await Promise.all(
      rows.map(async (row) => ({
        room: await roomListItem(db, row.room, me.id, { role: null, lastReadSeq: null }),
        user: people.get(me.id) ?? unknown,
        invitedBy: people.get(row.invitedBy) ?? unknown,
        createdAt: new Date(row.createdAt).toISOString(),
      })),
    );
    return c.json({ items, nextCursor: null }, 200);
  })
  .openapi(acceptRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const roomId = c.req.valid("param").id;
    const invite = await db
      .select({ room: rooms })
      .from(roomInvites)
      .innerJoin(rooms, eq(rooms.id, roomInvites.roomId))
      .where(and(eq(roomInvites.roomId, roomId), eq(roomInvites.userId, me.id)))
      .get();
    if (!invite) throw notFound("Invitation");
    await db.batch([
      db
        .insert(roomMembers)
        .values({ roomId, userId: me.id, role: "member", joinedAt: Date.now(), lastReadSeq: 0 })
        .onConflictDoNothing(),
      db.delete(roomInvites).where(and(eq(roomInvites.roomId, roomId), eq(roomInvites.userId, me.id))),
    ]);
    await roomStub(c.env, roomId).syncMembers(roomRef(invite.room), [{ ...roomUser(me), role: "member" }]);
    return c.json(await roomListItem(db, invite.room, me.id, { role: "member", lastReadSeq: 0 }), 200);
  })
  .openapi(declineRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    await db
      .delete(roomInvites)
      .where(and(eq(roomInvites.roomId, c.req.valid("param").id), eq(roomInvites.userId, me.id)));
    return c.body(null, 204);
  })
  .openapi(reportRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const { id, messageId } = c.req.valid("param");
    const access = await visibleRoom(db, id, me);
    const message = await roomStub(c.env, access.room.id).message(messageId);
    if (!message || message.deletedAt) throw notFound("Message");
    const reportId = newId();
    const inserted = await db
      .insert(messageReports)
      .values({
        id: reportId,
        roomId: access.room.id,
        messageId,
        messageUserId: message.userId,
        messageBody: message.body,
        reporterId: me.id,
        reason: c.req.valid("json").reason ?? "",
        createdAt: Date.now(),
      })
      .onConflictDoNothing()
      .returning({ id: messageReports.id });
    if (inserted.length === 0) throw new ApiError(409, "already_reported", "You already reported this message.");
    return c.json({ id: reportId }, 201);
  })
  .openapi(reportsRoute, async (c) => {
    const db = c.var.db;
    const rows = await db
      .select()
      .from(messageReports)
      .where(isNull(messageReports.resolvedAt))
      .orderBy(desc(messageReports.createdAt))
      .limit(100);
    const people = await summariesOf(
      db,
      rows.flatMap((r) => [r.messageUserId, r.reporterId]),
    );
    const items = rows.map((r) => ({
      id: r.id,
      roomId: r.roomId,
      messageId: r.messageId,
      messageBody: r.messageBody,
      author: people.get(r.messageUserId) ?? null,
      reporter: people.get(r.reporterId) ?? null,
      reason: r.reason,
      createdAt: new Date(r.createdAt).toISOString(),
    }));
    return c.json({ items, nextCursor: null }, 200);
  });
