import type { EmailMessage } from "../message.ts";

/** What a template says; `layoutEmail` renders it as plain text and as HTML with the same words. */
export type EmailContent = {
  to: string;
  subject: string;
  /** "Hi …," */
  greeting: string;
  paragraphs: string[];
  /** The one button (and its URL spelled out in the text version). */
  action?: { label: string; url: string };
  /** Small print after the action: why they got this, what to do if it was not them. */
  footer?: string[];
};

const PRODUCT = "Veza";

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Renders any account email: the plain-text body and an HTML body (inline styles; mail clients drop CSS). */
export function layoutEmail(content: EmailContent): EmailMessage {
  const footer = content.footer ?? [];
  const text = [
    content.greeting,
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    ...footer,
    `— ${PRODUCT}`,
  ].join("\n\n");

  const p = (line: string, style = "margin:0 0 16px") => `<p style="${style}">${escapeHtml(line)}</p>`;
  const button = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:#6d28d9;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600;display:inline-block">${escapeHtml(content.action.label)}</a></p>` +
      p(
        `Or open this address: ${content.action.url}`,
        "margin:0 0 16px;font-size:13px;color:#555555;word-break:break-all",
      )
    : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
<h1 style="margin:0 0 24px;font-size:20px">${PRODUCT}</h1>
${p(content.greeting)}
${content.paragraphs.map((line) => p(line)).join("\n")}
${button}
${footer.map((line) => p(line, "margin:0 0 8px;font-size:13px;color:#555555")).join("\n")}
</div>
</body></html>`;
  return { to: content.to, subject: content.subject, text, html };
}
