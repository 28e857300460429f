import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { issueTicket } from "../auth/tickets.ts";
import { createRouter, endpoint, jsonResponse } from "../shared/openapi.ts";
import { connectWithTicket } from "./socket-ticket.ts";

const EVENTS_PURPOSE = "user-events";

const ticketRoute = createRoute({
  ...endpoint("post", "/me/events/ticket", "me"),
  ...signedIn({ 200: jsonResponse(z.object({ ticket: z.string() }), "A one-time ticket, valid 30 s") }),
});

/** The signed-in user's live channel: `track.status` events while their uploads are processed. */
export const eventsRoutes = createRouter()
  .openapi(ticketRoute, async (c) => c.json({ ticket: await issueTicket(c.env, EVENTS_PURPOSE, c.var.viewer.id) }, 200))
  .get("/me/events", (c) =>
    connectWithTicket(c, EVENTS_PURPOSE, (ticket) => ({
      stub: c.env.USER_EVENTS.get(c.env.USER_EVENTS.idFromName(ticket.userId)),
    })),
  );
