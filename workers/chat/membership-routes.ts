import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly, signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, errorResponse, jsonBody, jsonResponse, pageOf } from "../shared/openapi.ts";
import { acceptInvite, declineInvite, pendingInvites } from "./invites.ts";
import { openReports, reportMessage } from "./reports.ts";
import { InviteSchema, PersonSchema, ReportBody, RoomIdParam, RoomListItemSchema } from "./schemas.ts";

const myInvitesRoute = createRoute({
  ...endpoint("get", "/me/invites", "chat"),
  summary: "Invitations into private rooms waiting for the caller",
  ...signedIn({ 200: jsonResponse(pageOf(InviteSchema), "Pending invitations, newest first") }),
});

const acceptRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/invites/accept", "chat"),
  request: { params: RoomIdParam },
  ...signedIn({
    200: jsonResponse(RoomListItemSchema, "The room, now one of the caller's"),
    404: errorResponse("No invitation into this room"),
  }),
});

const declineRoute = createRoute({
  ...endpoint("delete", "/rooms/{id}/invites/mine", "chat"),
  request: { params: RoomIdParam },
  ...signedIn({ 204: { description: "Declined (or there was none)" } }),
});

const reportRoute = createRoute({
  ...endpoint("post", "/rooms/{id}/messages/{messageId}/reports", "chat"),
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
  ...endpoint("get", "/admin/chat-reports", "admin"),
  summary: "Open message reports, newest first (up to 100)",
  ...adminOnly({
    200: jsonResponse(pageOf(ReportSchema), "Open reports"),
    403: errorResponse("Admins only"),
  }),
});

export const membershipRoutes = createRouter()
  .openapi(myInvitesRoute, async (c) => c.json(await pendingInvites(c.var.db, c.var.viewer), 200))
  .openapi(acceptRoute, async (c) =>
    c.json(await acceptInvite(c.env, c.var.db, c.var.viewer, c.req.valid("param").id), 200),
  )
  .openapi(declineRoute, async (c) => {
    await declineInvite(c.var.db, c.var.viewer, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(reportRoute, async (c) => {
    const { id, messageId } = c.req.valid("param");
    const reason = c.req.valid("json").reason ?? "";
    return c.json(await reportMessage(c.env, c.var.db, c.var.viewer, { roomId: id, messageId, reason }), 201);
  })
  .openapi(reportsRoute, async (c) => c.json(await openReports(c.var.db), 200));
