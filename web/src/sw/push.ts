import type { PushPayload } from "../../../workers/api-types.ts";
import { localeOf, notificationText } from "../push/notification-text.ts";
import { NAVIGATE_MESSAGE } from "../push/sw-messages.ts";

/**
 * The service worker's side of Web Push: show the notification a push message carries, and open
 * (or focus) the page it is about on click. The message was decrypted by the browser already.
 */

export type Shown = { title: string; options: NotificationOptions & { renotify?: boolean; timestamp?: number } };

/** The notification to show for a push payload; null for a message that is not one of ours. */
export function notificationFor(payload: unknown): Shown | null {
  const p = payload as Partial<PushPayload> | null;
  if (!p?.notification || typeof p.url !== "string" || typeof p.tag !== "string") return null;
  const locale = localeOf(p.locale ?? "en");
  const { title, body } = notificationText(p.notification, locale);
  const silent = p.silent === true;
  return {
    title,
    options: {
      body,
      icon: "/icon-192.png",
      badge: "/icon-192.png",
      lang: locale,
      // One tag per notification: a grouped notification that grew replaces the one shown…
      tag: p.tag,
      // …and alerts again, unless it arrives during quiet hours.
      renotify: !silent,
      silent,
      timestamp: Date.parse(p.notification.createdAt) || undefined,
      data: { url: p.url },
    },
  };
}

/** Parses the push message's JSON; null when it is empty or not JSON. */
export function payloadOf(data: { json(): unknown } | null): unknown {
  if (!data) return null;
  try {
    return data.json();
  } catch {
    return null;
  }
}

type WindowClientLike = {
  url: string;
  focus(): Promise<unknown>;
  postMessage(message: unknown): void;
};
type ClientsLike = {
  matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
  openWindow(url: string): Promise<unknown>;
};

/**
 * Opens `path` in the app: focuses a window already on it, or focuses any app window and asks it to
 * navigate there (the app routes on the client, so no reload), or opens a new window.
 */
export async function openInApp(clients: ClientsLike, origin: string, path: string): Promise<void> {
  const target = new URL(path, origin);
  if (target.origin !== origin) return;
  const windows = (await clients.matchAll({ type: "window", includeUncontrolled: true })).filter(
    (client) => new URL(client.url).origin === origin,
  );
  const already = windows.find((client) => {
    const url = new URL(client.url);
    return url.pathname + url.search === target.pathname + target.search;
  });
  if (already) {
    await already.focus();
    return;
  }
  const any = windows[0];
  if (any) {
    await any.focus();
    any.postMessage({ type: NAVIGATE_MESSAGE, url: target.pathname + target.search });
    return;
  }
  await clients.openWindow(target.href);
}
