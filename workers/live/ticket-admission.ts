import { errorBody } from "../shared/errors.ts";
import { TICKET_HEADERS } from "./socket-ticket.ts";

/** The ticket a Durable Object admitted a socket with: whose it is, and until when it was valid. */
export type AdmittedTicket = { userId: string; nonce: string; expires: number };

const NONCE_PREFIX = "ticket:";
const PRUNE_DELAY_MS = 60_000;

/**
 * The Durable Object's half of "ticket → WebSocket" (see socket-ticket.ts): checks that the request
 * is an upgrade forwarded by `connectWithTicket` and that its ticket's nonce was never admitted
 * before, and remembers the nonce until the ticket expires. Returns the ticket, or the error
 * response to send back. The caller then accepts the socket its own way (tags, attachments).
 * A Durable Object using this must call `pruneAdmittedTickets` from its `alarm()`.
 */
export async function admitTicketedSocket(
  storage: DurableObjectStorage,
  request: Request,
): Promise<AdmittedTicket | Response> {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return Response.json(errorBody("upgrade_required", "Expected a WebSocket upgrade."), { status: 426 });
  }
  const userId = request.headers.get(TICKET_HEADERS.user) ?? "";
  const nonce = request.headers.get(TICKET_HEADERS.nonce) ?? "";
  const expires = Number(request.headers.get(TICKET_HEADERS.expires));
  if (!userId || !nonce || !(await admitOnce(storage, nonce, expires))) {
    return Response.json(errorBody("ticket_used", "This ticket was already used."), { status: 401 });
  }
  return { userId, nonce, expires };
}

/** Remembers a ticket's nonce until it expires; false if it was seen before. */
async function admitOnce(storage: DurableObjectStorage, nonce: string, expires: number): Promise<boolean> {
  const key = `${NONCE_PREFIX}${nonce}`;
  if (await storage.get(key)) return false;
  await storage.put(key, expires);
  await alarmNoLaterThan(storage, (Number.isFinite(expires) ? expires * 1000 : Date.now()) + PRUNE_DELAY_MS);
  return true;
}

/** Keeps an earlier alarm the object set for its own work; the object's alarm() prunes as well. */
async function alarmNoLaterThan(storage: DurableObjectStorage, at: number): Promise<void> {
  const current = await storage.getAlarm();
  if (current === null || current > at) await storage.setAlarm(at);
}

/** Forgets expired nonces (they can no longer be replayed); re-arms the alarm while some remain. */
export async function pruneAdmittedTickets(storage: DurableObjectStorage, now = Date.now()): Promise<void> {
  const tickets = await storage.list<number>({ prefix: NONCE_PREFIX });
  const expired = [...tickets].filter(([, expires]) => expires * 1000 < now).map(([key]) => key);
  await storage.delete(expired);
  if (tickets.size > expired.length) await alarmNoLaterThan(storage, now + PRUNE_DELAY_MS);
}

/** The 101 response that hands `client` to the browser. */
export function socketResponse(client: WebSocket): Response {
  return new Response(null, { status: 101, webSocket: client });
}
