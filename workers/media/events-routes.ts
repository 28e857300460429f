import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { issueTicket, verifyTicket } from "../auth/tickets.ts";
import { ApiError, unauthenticated } from "../shared/errors.ts";
import { createRouter, jsonResponse } from "../shared/openapi.ts";

const EVENTS_PURPOSE = "user-events";

const ticketRoute = createRoute({
  method: "post",
  path: "/me/events/ticket",
  tags: ["me"],
  ...signedIn({ 200: jsonResponse(z.object({ ticket: z.string() }), "A one-time ticket, valid 30 s") }),
});

/** The signed-in user's live channel: `track.status` events while their uploads are processed. */
export const eventsRoutes = createRouter()
  .openapi(ticketRoute, async (c) => c.json({ ticket: await issueTicket(c.env, EVENTS_PURPOSE, c.var.viewer.id) }, 200))
  .get("/me/events", async (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError(426, "upgrade_required", "Connect with a WebSocket.");
    }
    const ticket = await verifyTicket(c.env, EVENTS_PURPOSE, c.req.query("ticket") ?? "");
    if (!ticket) throw unauthenticated("The ticket is missing, invalid or expired: fetch a new one.");
    const headers = new Headers(c.req.raw.headers);
    headers.set("x-ticket-nonce", ticket.nonce);
    headers.set("x-ticket-expires", String(ticket.expires));
    const stub = c.env.USER_EVENTS.get(c.env.USER_EVENTS.idFromName(ticket.userId));
    return stub.fetch(new Request(c.req.raw, { headers }));
  });
