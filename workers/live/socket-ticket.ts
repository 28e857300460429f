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
 * The callback may add headers of its own for the object (chat passes the room grant it checked):
 *
 *   .get("/rooms/:id/ws", (c) => connectWithTicket(c, roomTicketPurpose(c.req.param("id")), async (ticket) => {
 *     const access = await enterableRoom(c.var.db, c.req.param("id"), ticket.userId);   // throws 403/404
 *     return { stub: roomStub(c.env, access.room.id), headers: { [GRANT_HEADER]: grantOf(access) } };
 *   }))
 */
export async function connectWithTicket(
  c: Context<AppBindings>,
  purpose: string,
  targetFor: (ticket: Ticket) => SocketTarget | Promise<SocketTarget>,
): Promise<Response> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "Connect with a WebSocket.");
  }
  const ticket = await verifyTicket(c.env, purpose, c.req.query("ticket") ?? "");
  if (!ticket)
    throw unauthenticated("The ticket is missing, invalid, expired or for another channel: fetch a new one.");
  const target = await targetFor(ticket);
  const headers = new Headers(c.req.raw.headers);
  headers.set(TICKET_HEADERS.user, ticket.userId);
  headers.set(TICKET_HEADERS.nonce, ticket.nonce);
  headers.set(TICKET_HEADERS.expires, String(ticket.expires));
  for (const [name, value] of Object.entries(target.headers ?? {})) headers.set(name, value);
  return target.stub.fetch(new Request(c.req.raw, { headers }));
}

/** The Durable Object to hand the socket to, and any headers of the caller's own for it. */
export type SocketTarget = { stub: { fetch(request: Request): Promise<Response> }; headers?: Record<string, string> };

/** Set only by `connectWithTicket`: Durable Objects are reachable only through this Worker. */
export const TICKET_HEADERS = { user: "x-ticket-user", nonce: "x-ticket-nonce", expires: "x-ticket-expires" } as const;
