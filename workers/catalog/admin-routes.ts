import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../auth/route-presets.ts";
import { AdminReason as Reason } from "../auth/schemas.ts";
import { createRouter, endpoint, errorResponse, IdParams, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { listAuditLog, removeCommentAsAdmin, removeTrackAsAdmin } from "./admin.ts";

/** Every admin action says why; the reason goes in the audit log. */

const adminErrors = { 403: errorResponse("Not an admin"), 404: errorResponse("Not found") };

const AuditSchema = z
  .object({
    id: z.string(),
    actor: z.object({ id: z.string(), username: z.string().nullable() }),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    reason: z.string(),
    details: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

const removeTrackRoute = createRoute({
  ...endpoint("delete", "/admin/tracks/{id}", "admin"),
  request: { params: IdParams, query: z.object({ reason: Reason }) },
  ...adminOnly({ 204: { description: "Removed and recorded in the audit log" }, ...adminErrors }),
});

const removeCommentRoute = createRoute({
  ...endpoint("delete", "/admin/comments/{id}", "admin"),
  request: { params: IdParams, query: z.object({ reason: Reason }) },
  ...adminOnly({ 204: { description: "Removed and recorded in the audit log" }, ...adminErrors }),
});

const audit = createRoute({
  ...endpoint("get", "/admin/audit", "admin"),
  summary: "The moderation audit log, newest first",
  request: {
    query: PageQuery.extend({
      actorId: z.string().max(40).optional(),
      targetId: z.string().max(40).optional(),
      action: z.string().max(60).optional(),
    }),
  },
  ...adminOnly({ 200: jsonResponse(pageOf(AuditSchema), "A page of audit entries"), ...adminErrors }),
});

export const adminRoutes = createRouter()
  .openapi(removeTrackRoute, async (c) => {
    await removeTrackAsAdmin(c.env, c.var.db, c.var.viewer, c.req.valid("param").id, c.req.valid("query").reason);
    return c.body(null, 204);
  })
  .openapi(removeCommentRoute, async (c) => {
    await removeCommentAsAdmin(c.var.db, c.var.viewer, c.req.valid("param").id, c.req.valid("query").reason);
    return c.body(null, 204);
  })
  .openapi(audit, async (c) => {
    const { actorId, targetId, action, ...page } = c.req.valid("query");
    return c.json(await listAuditLog(c.var.db, { actorId, targetId, action }, page), 200);
  });
