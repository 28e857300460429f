import type { EmailMessage } from "../message.ts";
import { layoutEmail } from "./layout.ts";

/** Builds an app link carrying a token as `?token=` (the web app has a page at each path). */
export function tokenLink(baseUrl: string, path: string, token: string): string {
  const url = new URL(path, baseUrl);
  url.searchParams.set("token", token);
  return url.toString();
}

type Recipient = { to: string; name: string };

export function verifyEmailMessage({ to, name }: Recipient, link: string): EmailMessage {
  return layoutEmail({
    to,
    subject: "Confirm your email address",
    greeting: `Hi ${name},`,
    paragraphs: [
      "Welcome to Veza. Confirm that this is your email address to start uploading, commenting and chatting.",
      "The link works once and for 24 hours.",
    ],
    action: { label: "Confirm my email", url: link },
    footer: ["If you did not create a Veza account, ignore this email: nothing happens without the link."],
  });
}

export function confirmNewEmailMessage({ to, name }: Recipient, link: string): EmailMessage {
  return layoutEmail({
    to,
    subject: "Confirm your new email address",
    greeting: `Hi ${name},`,
    paragraphs: [
      "You asked to use this address for your Veza account. Confirm it to make the change.",
      "The link works once and for 24 hours. Until then your account keeps its current address.",
    ],
    action: { label: "Use this address", url: link },
    footer: ["If you did not ask for this, ignore this email: the address is not changed without the link."],
  });
}

export function emailChangedNotice({ to, name }: Recipient, newEmail: string): EmailMessage {
  return layoutEmail({
    to,
    subject: "Your Veza email address was changed",
    greeting: `Hi ${name},`,
    paragraphs: [
      `The email address of your Veza account is now ${newEmail}. This address will no longer receive account mail.`,
    ],
    footer: [
      "If you did not make this change, reset your password from the sign-in page right away and contact the operators of this Veza server.",
    ],
  });
}

export function passwordResetMessage({ to, name }: Recipient, link: string): EmailMessage {
  return layoutEmail({
    to,
    subject: "Reset your Veza password",
    greeting: `Hi ${name},`,
    paragraphs: [
      "Someone (hopefully you) asked to reset the password of your Veza account.",
      "The link works once and for 1 hour. Setting a new password signs you out everywhere.",
    ],
    action: { label: "Choose a new password", url: link },
    footer: ["If you did not ask for this, ignore this email: your password stays as it is."],
  });
}
