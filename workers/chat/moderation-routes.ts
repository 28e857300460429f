import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { signedIn } from "../auth/route-presets.ts";
import { findUserById } from "../auth/users.ts";
import { findProfileUser } from "../catalog/access.ts";
import { roomBans, roomInvites, roomMembers, roomMutes } from "../db/schema/index.ts";
import { ApiError, notFound } from "../shared/errors.ts";
import { commonErrors, createRouter, errorResponse, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { roomStub } from "./room-stub.ts";
import { moderatableRoom, type RoomAccess, roomRef, summariesOf } from "./rooms.ts";
import { BanBody, BanSchema, InviteBody, MuteBody, PersonSchema, RoomIdParam, UserIdBody } from "./schemas.ts";

const moderationErrors = {
  403: errorResponse("The caller may not moderate this room, or the target is its owner"),
  404: errorResponse("No such room or user"),
  ...commonErrors,
};

const banRoute = createRoute({
  method: "post",
  path: "/rooms/{id}/bans",
  tags: ["chat"],
  summary: "Ban a user: their sockets close at once, their tickets are refused",
  request: { params: RoomIdParam, ...jsonBody(BanBody) },
  ...signedIn({ 201: jsonResponse(BanSchema, "The ban"), ...moderationErrors }),
});

const unbanRoute = createRoute({
  method: "delete",
  path: "/rooms/{id}/bans/{userId}",
  tags: ["chat"],
  summary: "Lift a ban",
  request: { params: RoomIdParam.extend({ userId: z.string().min(1).max(64) }) },
  ...signedIn({ 204: { description: "Lifted (or there was none)" }, ...moderationErrors }),
});

const muteRoute = createRoute({
  method: "post",
  path: "/rooms/{id}/mutes",
  tags: ["chat"],
  summary: "Mute a user for some minutes (they can read, not send or react)",
  request: { params: RoomIdParam, ...jsonBody(MuteBody) },
  ...signedIn({
    201: jsonResponse(z.object({ userId: z.string(), until: z.string() }).openapi("RoomMute"), "The mute"),
    ...moderationErrors,
  }),
});

const kickRoute = createRoute({
  method: "post",
  path: "/rooms/{id}/kicks",
  tags: ["chat"],
  summary: "Remove a member and close their sockets (a public room they may rejoin)",
  request: { params: RoomIdParam, ...jsonBody(UserIdBody) },
  ...signedIn({
    200: jsonResponse(z.object({ userId: z.string(), closedSockets: z.number().int() }), "Kicked"),
    ...moderationErrors,
  }),
});

const inviteRoute = createRoute({
  method: "post",
  path: "/rooms/{id}/invites",
  tags: ["chat"],
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

/** The target of a moderation action: must exist, and the owner cannot be moderated. */
async function targetOf(c: { env: { DB: D1Database } }, access: RoomAccess, userId: string, actorId: string) {
  const user = await findUserById(c.env.DB, userId);
  if (!user) throw notFound("User");
  if (user.id === access.room.ownerId) throw new ApiError(403, "forbidden", "The room's owner cannot be moderated.");
  if (user.id === actorId) throw new ApiError(400, "validation_failed", "You cannot do that to yourself.");
  return user;
}

export const moderationRoutes = createRouter()
  .openapi(banRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const access = await moderatableRoom(db, c.req.valid("param").id, me);
    const { userId, reason } = c.req.valid("json");
    const target = await targetOf(c, access, userId, me.id);
    const now = Date.now();
    const roomId = access.room.id;
    await db.batch([
      db
        .insert(roomBans)
        .values({ roomId, userId: target.id, bannedBy: me.id, reason: reason ?? "", createdAt: now })
        .onConflictDoUpdate({
          target: [roomBans.roomId, roomBans.userId],
          set: { reason: reason ?? "", bannedBy: me.id },
        }),
      db.delete(roomMembers).where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, target.id))),
      db.delete(roomInvites).where(and(eq(roomInvites.roomId, roomId), eq(roomInvites.userId, target.id))),
    ]);
    await roomStub(c.env, roomId).moderate(roomRef(access.room), { type: "ban", userId: target.id });
    const person = { id: target.id, username: target.username, displayName: target.displayName };
    return c.json({ roomId, user: person, reason: reason ?? "", createdAt: new Date(now).toISOString() }, 201);
  })
  .openapi(unbanRoute, async (c) => {
    const db = c.var.db;
    const { id, userId } = c.req.valid("param");
    const access = await moderatableRoom(db, id, c.var.viewer);
    await db.delete(roomBans).where(and(eq(roomBans.roomId, access.room.id), eq(roomBans.userId, userId)));
    await roomStub(c.env, access.room.id).moderate(roomRef(access.room), { type: "unban", userId });
    return c.body(null, 204);
  })
  .openapi(muteRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const access = await moderatableRoom(db, c.req.valid("param").id, me);
    const { userId, minutes } = c.req.valid("json");
    const target = await targetOf(c, access, userId, me.id);
    const until = Date.now() + minutes * 60_000;
    await db
      .insert(roomMutes)
      .values({ roomId: access.room.id, userId: target.id, mutedBy: me.id, until })
      .onConflictDoUpdate({ target: [roomMutes.roomId, roomMutes.userId], set: { until, mutedBy: me.id } });
    await roomStub(c.env, access.room.id).moderate(roomRef(access.room), { type: "mute", userId: target.id, until });
    return c.json({ userId: target.id, until: new Date(until).toISOString() }, 201);
  })
  .openapi(kickRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const access = await moderatableRoom(db, c.req.valid("param").id, me);
    const target = await targetOf(c, access, c.req.valid("json").userId, me.id);
    await db.delete(roomMembers).where(and(eq(roomMembers.roomId, access.room.id), eq(roomMembers.userId, target.id)));
    const { closedSockets } = await roomStub(c.env, access.room.id).moderate(roomRef(access.room), {
      type: "kick",
      userId: target.id,
    });
    return c.json({ userId: target.id, closedSockets }, 200);
  })
  .openapi(inviteRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const access = await moderatableRoom(db, c.req.valid("param").id, me);
    if (access.room.kind !== "private") {
      throw new ApiError(409, "not_private", "Only private rooms take invitations; anyone can join this one.");
    }
    const target = await findProfileUser(db, c.req.valid("json").username, undefined);
    const [[member], [ban]] = await db.batch([
      db
        .select({ role: roomMembers.role })
        .from(roomMembers)
        .where(and(eq(roomMembers.roomId, access.room.id), eq(roomMembers.userId, target.id))),
      db
        .select({ at: roomBans.createdAt })
        .from(roomBans)
        .where(and(eq(roomBans.roomId, access.room.id), eq(roomBans.userId, target.id))),
    ]);
    if (member) throw new ApiError(409, "already_member", "That user is already in the room.");
    if (ban) throw new ApiError(409, "banned", "That user is banned from this room; lift the ban first.");
    const now = Date.now();
    await db
      .insert(roomInvites)
      .values({ roomId: access.room.id, userId: target.id, invitedBy: me.id, createdAt: now })
      .onConflictDoNothing();
    const people = await summariesOf(db, [target.id]);
    return c.json(
      {
        roomId: access.room.id,
        user: people.get(target.id) as z.infer<typeof PersonSchema>,
        createdAt: new Date(now).toISOString(),
      },
      201,
    );
  });
