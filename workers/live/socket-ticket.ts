import type { Context } from "hono";
import { type Ticket, verifyTicket } from "../auth/tickets.ts";
import type { AppBindings } from "../env.ts";
import { ApiError, unauthenticated } from "../shared/errors.ts";

/**
 * The Worker's half of "ticket → Durable Object WebSocket". A browser cannot set headers on a
 * WebSocket upgrade, so it first fetches a one-time ticket with its access token
 * (auth/tickets.ts `issueTicket`), then connects with `?ticket=`. This checks the upgrade and the
 * ticket, lets the caller pick (and authorize) the Durable Object, and forwards the upgrade with the
 * ticket's user, nonce and expiry in `x-ticket-*` headers. The object's half is
 * `admitTicketedSocket` (ticket-admission.ts), which refuses a nonce it has seen: single use.
 *
 *   .get("/rooms/:id/ws", (c) => connectWithTicket(c, "chat-room", async (ticket) => {
 *     await requireMember(c.var.db, c.req.param("id"), ticket.userId);   // throws 403/404
 *     return c.env.CHAT_ROOM.get(c.env.CHAT_ROOM.idFromName(c.req.param("id")));
 *   }))
 */
export async function connectWithTicket(
  c: Context<AppBindings>,
  purpose: string,
  objectFor: (ticket: Ticket) => DurableObjectStub | Promise<DurableObjectStub>,
): Promise<Response> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "Connect with a WebSocket.");
  }
  const ticket = await verifyTicket(c.env, purpose, c.req.query("ticket") ?? "");
  if (!ticket) throw unauthenticated("The ticket is missing, invalid or expired: fetch a new one.");
  const stub = await objectFor(ticket);
  const headers = new Headers(c.req.raw.headers);
  headers.set(TICKET_HEADERS.user, ticket.userId);
  headers.set(TICKET_HEADERS.nonce, ticket.nonce);
  headers.set(TICKET_HEADERS.expires, String(ticket.expires));
  return stub.fetch(new Request(c.req.raw, { headers }));
}

/** Set only by `connectWithTicket`: Durable Objects are reachable only through this Worker. */
export const TICKET_HEADERS = { user: "x-ticket-user", nonce: "x-ticket-nonce", expires: "x-ticket-expires" } as const;
