import type { Env } from "../env.ts";
import { isDevelopment } from "../shared/secrets-check.ts";

export const EMAIL_TRANSPORTS = ["cloudflare", "http", "outbox"] as const;
export type EmailTransport = (typeof EMAIL_TRANSPORTS)[number];

/**
 * Where mail goes. Development always keeps it in the outbox, whatever is configured, so a local
 * copy never mails real people; elsewhere EMAIL_TRANSPORT decides ("cloudflare" when unset or
 * unknown). "outbox" outside development is for the tests, which run with ENVIRONMENT=production.
 */
export function emailTransport(env: Pick<Env, "ENVIRONMENT" | "EMAIL_TRANSPORT">): EmailTransport {
  if (isDevelopment(env)) return "outbox";
  const configured = env.EMAIL_TRANSPORT as EmailTransport;
  return EMAIL_TRANSPORTS.includes(configured) ? configured : "cloudflare";
}

/** `Name <address>` or a bare address, as EMAIL_FROM holds it. */
export function parseSender(from: string): { name: string; email: string } {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  if (match?.[2]) return { name: match[1]?.replace(/^"|"$/g, "") || match[2], email: match[2] };
  return { name: from.trim(), email: from.trim() };
}
