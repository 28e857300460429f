import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { signedIn } from "../auth/route-presets.ts";
import type { AuthUser } from "../auth/types.ts";
import { findUserById } from "../auth/users.ts";
import type { Db } from "../db/client.ts";
import { roomMembers } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, forbidden, notFound } from "../shared/errors.ts";
import { createRouter, errorResponse, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { roomStub } from "./room-stub.ts";
import { moderatableRoom, roomRef } from "./rooms.ts";
import { RoomIdParam, UserIdBody } from "./schemas.ts";

const RoleChange = z.object({ userId: z.string(), role: z.enum(["moderator", "member"]) }).openapi("RoomRoleChange");
const responses = {
  200: jsonResponse(RoleChange, "The member's role now"),
  403: errorResponse("Only the room's owner and admins appoint moderators"),
  404: errorResponse("No such room, or the user is not a member"),
  409: errorResponse("The owner's role does not change"),
};

const appointRoute = createRoute({
  method: "post",
  path: "/rooms/{id}/moderators",
  tags: ["chat"],
  summary: "Make a member a moderator (owner or admin)",
  request: { params: RoomIdParam, ...jsonBody(UserIdBody) },
  ...signedIn(responses),
});

const dismissRoute = createRoute({
  method: "delete",
  path: "/rooms/{id}/moderators/{userId}",
  tags: ["chat"],
  summary: "Make a moderator a plain member again (owner or admin)",
  request: { params: RoomIdParam.extend({ userId: z.string().min(1).max(64) }) },
  ...signedIn(responses),
});

/** Sets a member's role (never the owner's) in D1, then in the room at once. */
async function setRole(
  env: Env,
  db: Db,
  actor: AuthUser,
  roomId: string,
  userId: string,
  role: "moderator" | "member",
) {
  const access = await moderatableRoom(db, roomId, actor);
  if (access.room.ownerId !== actor.id && actor.role !== "admin") {
    throw forbidden("Only the room's owner appoints moderators.");
  }
  if (userId === access.room.ownerId) throw new ApiError(409, "owner_role", "The owner's role does not change.");
  const where = and(eq(roomMembers.roomId, access.room.id), eq(roomMembers.userId, userId));
  const [member, user] = await Promise.all([
    db.select({ role: roomMembers.role }).from(roomMembers).where(where).get(),
    findUserById(env.DB, userId),
  ]);
  if (!member || !user) throw notFound("Member");
  await db.update(roomMembers).set({ role }).where(where);
  await roomStub(env, access.room.id).syncMembers(roomRef(access.room), [
    { id: user.id, username: user.username, displayName: user.displayName, isAdmin: user.role === "admin", role },
  ]);
  return { userId, role };
}

export const moderatorRoutes = createRouter()
  .openapi(appointRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await setRole(c.env, c.var.db, c.var.viewer, id, c.req.valid("json").userId, "moderator"), 200);
  })
  .openapi(dismissRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    return c.json(await setRole(c.env, c.var.db, c.var.viewer, id, userId, "member"), 200);
  });
