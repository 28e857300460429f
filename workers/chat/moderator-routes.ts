import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, errorResponse, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { setMemberRole } from "./member-roles.ts";
import { RoomIdParam, UserIdBody } from "./schemas.ts";

const RoleChange = z.object({ userId: z.string(), role: z.enum(["moderator", "member"]) }).openapi("RoomRoleChange");
const responses = {
  200: jsonResponse(RoleChange, "The member's role now"),
  400: errorResponse("An admin gave no reason (`reason_required`)"),
  403: errorResponse("Only the room's owner and admins appoint moderators"),
  404: errorResponse("No such room, or the user is not a member"),
  409: errorResponse("The owner's role does not change"),
};

const appointRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/moderators", "chat"),
  summary: "Make a member a moderator (owner or admin)",
  request: { params: RoomIdParam, ...jsonBody(UserIdBody) },
  ...signedIn(responses),
});

const dismissRoute = createRoute({
  ...endpoint("delete", "/rooms/{id}/moderators/{userId}", "chat"),
  summary: "Make a moderator a plain member again (owner or admin)",
  request: { params: RoomIdParam.extend({ userId: z.string().min(1).max(64) }) },
  ...signedIn(responses),
});

export const moderatorRoutes = createRouter()
  .openapi(appointRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { userId } = c.req.valid("json");
    return c.json(
      await setMemberRole(c.env, c.var.db, c.var.viewer, id, userId, "moderator", c.req.query("reason")),
      200,
    );
  })
  .openapi(dismissRoute, async (c) => {
    const { id, userId } = c.req.valid("param");
    return c.json(await setMemberRole(c.env, c.var.db, c.var.viewer, id, userId, "member", c.req.query("reason")), 200);
  });
