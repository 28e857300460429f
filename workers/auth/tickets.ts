import type { Env } from "../env.ts";
import { decodeJsonBase64url, encodeJsonBase64url, hmacSign, hmacVerify, randomToken } from "../shared/crypto.ts";

/** WebSocket upgrades cannot carry headers: a short-lived ticket, fetched with the access token, stands in. */
export const TICKET_TTL_SECONDS = 30;

export type Ticket = { purpose: string; userId: string; nonce: string; expires: number };

export async function issueTicket(env: Env, purpose: string, userId: string, now = Date.now()): Promise<string> {
  const ticket: Ticket = {
    purpose,
    userId,
    nonce: randomToken(12),
    expires: Math.floor(now / 1000) + TICKET_TTL_SECONDS,
  };
  const body = encodeJsonBase64url(ticket);
  return `${body}.${await hmacSign(env.JWT_SECRET, `ticket|${body}`)}`;
}

/**
 * Checks signature, purpose and expiry. Single use is the receiving Durable Object's job: it
 * remembers the nonces it has admitted until they expire.
 */
export async function verifyTicket(env: Env, purpose: string, token: string, now = Date.now()): Promise<Ticket | null> {
  const [body, signature] = token.split(".");
  if (!body || !signature || !(await hmacVerify(env.JWT_SECRET, `ticket|${body}`, signature))) return null;
  try {
    const ticket = decodeJsonBase64url(body) as Ticket;
    if (ticket.purpose !== purpose || ticket.expires * 1000 < now) return null;
    return ticket;
  } catch {
    return null;
  }
}
