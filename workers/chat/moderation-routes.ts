import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { commonErrors, createRouter, endpoint, errorResponse, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { inviteToRoom } from "./invites.ts";
import { banFromRoom, kickFromRoom, muteInRoom, unbanFromRoom } from "./moderation.ts";
import { BanBody, BanSchema, InviteBody, MuteBody, PersonSchema, RoomIdParam, UserIdBody } from "./schemas.ts";

const moderationErrors = {
  403: errorResponse("The caller may not moderate this room, or the target is its owner"),
  404: errorResponse("No such room or user"),
  ...commonErrors,
};

const banRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/bans", "chat"),
  summary: "Ban a user: their sockets close at once, their tickets are refused",
  request: { params: RoomIdParam, ...jsonBody(BanBody) },
  ...signedIn({ 201: jsonResponse(BanSchema, "The ban"), ...moderationErrors }),
});

const unbanRoute = createRoute({
  ...endpoint("delete", "/rooms/{id}/bans/{userId}", "chat"),
  summary: "Lift a ban",
  request: { params: RoomIdParam.extend({ userId: z.string().min(1).max(64) }) },
  ...signedIn({ 204: { description: "Lifted (or there was none)" }, ...moderationErrors }),
});

const muteRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/mutes", "chat"),
  summary: "Mute a user for some minutes (they can read, not send or react)",
  request: { params: RoomIdParam, ...jsonBody(MuteBody) },
  ...signedIn({
    201: jsonResponse(z.object({ userId: z.string(), until: z.string() }).openapi("RoomMute"), "The mute"),
    ...moderationErrors,
  }),
});

const kickRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/kicks", "chat"),
  summary: "Remove a member and close their sockets (a public room they may rejoin)",
  request: { params: RoomIdParam, ...jsonBody(UserIdBody) },
  ...signedIn({
    200: jsonResponse(z.object({ userId: z.string(), closedSockets: z.number().int() }), "Kicked"),
    ...moderationErrors,
  }),
});

const inviteRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/invites", "chat"),
  summary: "Invite a user into a private room by username",
  request: { params: RoomIdParam, ...jsonBody(InviteBody) },
  ...signedIn({
    201: jsonResponse(
      z.object({ roomId: z.string(), user: PersonSchema, createdAt: z.string() }).openapi("RoomInviteCreated"),
      "The invitation",
    ),
    409: errorResponse("Already a member, or the room is not private"),
    ...moderationErrors,
  }),
});

// A site admin moderating a room they do not moderate gives a reason (`?reason=`, or the ban's own).
export const moderationRoutes = createRouter()
  .openapi(banRoute, async (c) => {
    const body = c.req.valid("json");
    const ban = { ...body, reason: body.reason || c.req.query("reason")?.trim() || undefined };
    return c.json(await banFromRoom(c.env, c.var.db, c.var.viewer, c.req.valid("param").id, ban), 201);
  })
  .openapi(unbanRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    await unbanFromRoom(c.env, c.var.db, c.var.viewer, id, userId, c.req.query("reason"));
    return c.body(null, 204);
  })
  .openapi(muteRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await muteInRoom(c.env, c.var.db, c.var.viewer, id, c.req.valid("json"), c.req.query("reason")), 201);
  })
  .openapi(kickRoute, async (c) => {
    const { userId } = c.req.valid("json");
    const { id } = c.req.valid("param");
    return c.json(await kickFromRoom(c.env, c.var.db, c.var.viewer, id, userId, c.req.query("reason")), 200);
  })
  .openapi(inviteRoute, async (c) => {
    const { username } = c.req.valid("json");
    return c.json(await inviteToRoom(c.var.db, c.var.viewer, c.req.valid("param").id, username), 201);
  });
