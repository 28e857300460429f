import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { issueTicket } from "../auth/tickets.ts";
import { findUserById, toAuthUser } from "../auth/users.ts";
import { connectWithTicket } from "../live/socket-ticket.ts";
import { encodeJsonBase64url } from "../shared/crypto.ts";
import { badRequest, unauthenticated } from "../shared/errors.ts";
import { createRouter, endpoint, errorResponse, jsonResponse } from "../shared/openapi.ts";
import { type ConnectGrant, GRANT_HEADER } from "./grant.ts";
import { roomStub } from "./room-stub.ts";
import { enterableRoom, joinPublicRoom, roomRef, roomUser } from "./rooms.ts";
import { RoomIdParam } from "./schemas.ts";

/** A ticket is good for one room only. */
export const roomTicketPurpose = (roomId: string) => `chat-room:${roomId}`;

const ticketRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/ticket", "chat"),
  summary: "A one-time ticket (30 s) to open this room's WebSocket; joins a public room",
  request: { params: RoomIdParam },
  ...signedIn({
    200: jsonResponse(z.object({ ticket: z.string() }), "A one-time ticket for this room, valid 30 s"),
    403: errorResponse("Banned from the room, or blocked (DM)"),
    404: errorResponse("No such room, or not one the caller may enter"),
  }),
});

export const connectRoutes = createRouter()
  .openapi(ticketRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const access = await enterableRoom(db, c.req.valid("param").id, me);
    if (access.room.kind === "public") await joinPublicRoom(db, access, me.id);
    return c.json({ ticket: await issueTicket(c.env, roomTicketPurpose(access.room.id), me.id) }, 200);
  })
  .get("/rooms/:id/ws", (c) => {
    const roomId = c.req.param("id");
    const updatedSince = c.req.query("updatedSince");
    if (updatedSince !== undefined && !/^\d{1,15}$/.test(updatedSince)) {
      throw badRequest("updatedSince must be a room update number (a non-negative integer).");
    }
    return connectWithTicket(c, roomTicketPurpose(roomId), async (ticket) => {
      const user = await findUserById(c.env.DB, ticket.userId);
      if (!user || user.status !== "active") throw unauthenticated("This account cannot connect.");
      const authUser = toAuthUser(user);
      // Checked again at connect time (not only when the ticket was issued): a ban in between holds.
      const access = await enterableRoom(c.var.db, roomId, authUser);
      const grant: ConnectGrant = {
        room: roomRef(access.room),
        user: roomUser(authUser),
        role: access.role ?? "member",
        mutedUntil: access.mutedUntil,
        since: c.req.query("since") || undefined,
        updatedSince: updatedSince === undefined ? undefined : Number(updatedSince),
      };
      return { stub: roomStub(c.env, roomId), headers: { [GRANT_HEADER]: encodeJsonBase64url(grant) } };
    });
  });
