import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, errorResponse, jsonResponse } from "../shared/openapi.ts";
import { blockUser, openDm, unblockUser } from "./dms.ts";
import { RoomListItemSchema } from "./schemas.ts";

const UsernameParam = z.object({ username: z.string().min(1).max(60) });

const dmRoute = createRoute({
  ...endpoint("post", "/dms/{username}", "chat"),
  summary: "The one direct-message room between the caller and that user (created on first call, from either side)",
  request: { params: UsernameParam },
  ...signedIn({
    200: jsonResponse(RoomListItemSchema, "The existing DM room"),
    201: jsonResponse(RoomListItemSchema, "The DM room, just created"),
    403: errorResponse("One of the two has blocked the other"),
    404: errorResponse("No such user"),
  }),
});

function blockRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/users/{username}/block",
    tags: ["chat"],
    summary: method === "post" ? "Block a user: no DMs either way" : "Unblock a user",
    request: { params: UsernameParam },
    ...signedIn({
      200: jsonResponse(z.object({ blocked: z.boolean() }), "The block state after the change (idempotent)"),
      404: errorResponse("No such user"),
    }),
  });
}

export const dmRoutes = createRouter()
  .openapi(dmRoute, async (c) => {
    const { room, created } = await openDm(c.env, c.var.db, c.var.viewer, c.req.valid("param").username);
    return created ? c.json(room, 201) : c.json(room, 200);
  })
  .openapi(blockRoute("post"), async (c) => {
    await blockUser(c.env, c.var.db, c.var.viewer, c.req.valid("param").username);
    return c.json({ blocked: true }, 200);
  })
  .openapi(blockRoute("delete"), async (c) => {
    await unblockUser(c.var.db, c.var.viewer, c.req.valid("param").username);
    return c.json({ blocked: false }, 200);
  });
