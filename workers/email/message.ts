/** One email, as every sender takes it: a plain-text body and its HTML twin. */
export type EmailMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
};

/** The outbox's view of a message (GET /api/v1/dev/outbox). */
export type OutboxItem = EmailMessage & { sentAt: string };
