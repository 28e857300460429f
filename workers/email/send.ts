import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import { errorFields, log } from "../shared/log.ts";
import type { EmailMessage } from "./message.ts";
import { recordInOutbox } from "./outbox.ts";
import { emailTransport, parseSender } from "./transport.ts";

/** Mail could not be handed to the provider; the caller decides whether that fails the request. */
export const emailUnavailable = (cause?: unknown) =>
  Object.assign(
    new ApiError(503, "email_unavailable", "We could not send the email just now. Please try again in a few minutes."),
    { cause },
  );

/**
 * The one way to send mail: `await sendEmail(env, { to, subject, text, html })` (build the
 * message with a template from ./templates/). Production hands it to Cloudflare's `send_email`
 * binding or the configured HTTP provider; development and the tests keep it in the outbox.
 * Throws `email_unavailable` (503) when the provider refuses it.
 */
export async function sendEmail(env: Env, message: EmailMessage): Promise<void> {
  const transport = emailTransport(env);
  try {
    if (transport === "outbox") await recordInOutbox(env.DB, message);
    else if (transport === "http") await sendOverHttp(env, message);
    else await sendWithBinding(env, message);
  } catch (error) {
    log("error", "email.failed", { transport, subject: message.subject, ...errorFields(error) });
    throw error instanceof ApiError ? error : emailUnavailable(error);
  }
  log("info", "email.sent", { transport, subject: message.subject });
}

async function sendWithBinding(env: Env, message: EmailMessage): Promise<void> {
  await env.SEND_EMAIL.send({
    from: parseSender(env.EMAIL_FROM),
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
  });
}

/** A Resend-compatible JSON API: POST {from, to[], subject, text, html} with a Bearer token. */
async function sendOverHttp(env: Env, message: EmailMessage): Promise<void> {
  if (!env.EMAIL_HTTP_URL || !env.EMAIL_HTTP_TOKEN) throw new Error("EMAIL_HTTP_URL or EMAIL_HTTP_TOKEN is not set");
  const response = await fetch(env.EMAIL_HTTP_URL, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${env.EMAIL_HTTP_TOKEN}` },
    body: JSON.stringify({
      from: env.EMAIL_FROM,
      to: [message.to],
      subject: message.subject,
      text: message.text,
      html: message.html,
    }),
  });
  if (!response.ok) {
    throw new Error(`the email provider answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
}
