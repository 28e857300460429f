import { createRoute, z } from "@hono/zod-openapi";
import { notFound, unauthenticated } from "../shared/errors.ts";
import { createRouter, endpoint, errorResponse, IdParams, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { listDeviceSessions, revokeDeviceSession } from "./devices.ts";
import { signedIn } from "./route-presets.ts";
import { revokeUserSessions } from "./sessions.ts";

const DeviceSessionSchema = z
  .object({
    id: z.string(),
    method: z.string().openapi({ description: '"password", or the sign-in provider ("github", "google", "discord")' }),
    browser: z.string().nullable().openapi({ example: "Firefox 133" }),
    os: z.string().nullable().openapi({ example: "Windows" }),
    city: z.string().nullable().openapi({ description: "From the edge's request data; null when unknown" }),
    country: z.string().nullable().openapi({ example: "FR" }),
    createdAt: z.string(),
    lastUsedAt: z
      .string()
      .openapi({ description: "Moves when the device refreshes its session (every ~15 min of use)" }),
    current: z.boolean().openapi({ description: "The session of the access token making this request" }),
  })
  .openapi("DeviceSession");

const listSessions = createRoute({
  ...endpoint("get", "/me/sessions", "me"),
  summary: "Devices signed in to this account, most recent sign-in first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(DeviceSessionSchema), "Signed-in devices") }),
});

const revokeSession = createRoute({
  ...endpoint("delete", "/me/sessions/{id}", "me"),
  summary: "Sign one device out (its refresh token and access tokens stop working)",
  request: { params: IdParams },
  ...signedIn({ 204: { description: "Signed out" }, 404: errorResponse("No such signed-in device of yours") }),
});

const revokeOthers = createRoute({
  ...endpoint("post", "/me/sessions/revoke-others", "me"),
  summary: "Sign out every other device; this one stays signed in",
  ...signedIn({ 204: { description: "Every other device signed out" } }),
});

export const sessionRoutes = createRouter()
  .openapi(listSessions, async (c) => {
    const page = await listDeviceSessions(c.var.db, c.var.viewer.id, c.var.sessionId, c.req.valid("query"));
    return c.json(page, 200);
  })
  .openapi(revokeSession, async (c) => {
    const revoked = await revokeDeviceSession(c.var.db, c.env.DB, c.var.viewer.id, c.req.valid("param").id);
    if (!revoked) throw notFound("Session");
    return c.body(null, 204);
  })
  .openapi(revokeOthers, async (c) => {
    const sessionId = c.var.sessionId;
    if (!sessionId) throw unauthenticated();
    await revokeUserSessions(c.env.DB, c.var.viewer.id, sessionId);
    return c.body(null, 204);
  });
