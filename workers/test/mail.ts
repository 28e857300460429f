import { env } from "cloudflare:workers";
import { vi } from "vitest";
import type { OutboxItem } from "../email/message.ts";
import { outboxFor } from "../email/outbox.ts";

/** What the outbox holds for an address, newest first (the tests run with EMAIL_TRANSPORT=outbox). */
export function mailTo(address: string): Promise<OutboxItem[]> {
  return outboxFor(env.DB, address);
}

/** Waits (up to 5 s) for a mail to `address` whose subject contains `subject`; mail sent after answering lands a moment later. */
export async function waitForMail(address: string, subject: string): Promise<OutboxItem> {
  return vi.waitFor(
    async () => {
      const found = (await mailTo(address)).find((item) => item.subject.includes(subject));
      if (!found) throw new Error(`no mail "${subject}" to ${address} yet`);
      return found;
    },
    { timeout: 5000, interval: 50 },
  );
}

/** The `?token=` of the link in a mail's text. */
export function linkToken(item: OutboxItem): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(item.text);
  if (!match?.[1]) throw new Error(`no link with a token in: ${item.text}`);
  return match[1];
}
