import type { EmailMessage } from "../message.ts";
import { layoutEmail } from "./layout.ts";

type Recipient = { to: string; name: string };

/** A moment as mail shows it, in UTC (the reader's time zone is not known). */
export function mailDate(ms: number): string {
  return `${new Date(ms).toLocaleString("en-GB", { dateStyle: "full", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

export function deletionScheduledMessage({ to, name }: Recipient, dueAt: number, signInUrl: string): EmailMessage {
  return layoutEmail({
    to,
    subject: "Your Veza account will be deleted",
    greeting: `Hi ${name},`,
    paragraphs: [
      `You asked to delete your Veza account. It will be deleted on ${mailDate(dueAt)}, and you have been signed out everywhere.`,
      "Then your tracks and their files, albums, playlists, likes and follows are removed for good; your comments and chat messages stay, shown as written by a deleted user.",
      "Changed your mind? Sign in before then and the deletion is cancelled.",
    ],
    action: { label: "Sign in to keep my account", url: signInUrl },
    footer: ["If you did not ask for this, sign in now (which cancels it) and change your password: someone used it."],
  });
}

export function deletionCancelledMessage({ to, name }: Recipient, wasDueAt: number): EmailMessage {
  return layoutEmail({
    to,
    subject: "Your Veza account will not be deleted",
    greeting: `Hi ${name},`,
    paragraphs: [
      `You signed in, so the deletion of your Veza account planned for ${mailDate(wasDueAt)} is cancelled. Everything stays as it was.`,
    ],
    footer: ["If that sign-in was not you, change your password and sign out the other devices in your settings."],
  });
}
