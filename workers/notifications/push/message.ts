import { base64url } from "../../shared/crypto.ts";
import { notificationPath } from "../protocol.ts";
import { MAX_PLAINTEXT_BYTES } from "./encrypt.ts";
import type { PushableNotification, PushNotificationType, PushPayload } from "./notification-shape.ts";

/**
 * What goes to the push service for one notification: the JSON the service worker reads
 * (`PushPayload`), and the RFC 8030 headers.
 */
export type Urgency = "very-low" | "low" | "normal" | "high";
export type PushHeaders = { ttlSeconds: number; urgency: Urgency; topic: string };

const HOUR = 60 * 60;
/** How long a push service keeps a message for an offline device: stale news is not worth waking for. */
const TTL_SECONDS: Record<PushNotificationType, number> = {
  party: HOUR,
  dm: 24 * HOUR,
  mention: 24 * HOUR,
  follow: 72 * HOUR,
  like: 72 * HOUR,
  comment: 72 * HOUR,
  "track.ready": 72 * HOUR,
  "track.failed": 72 * HOUR,
  new_track: 72 * HOUR,
};
const URGENCY: Record<PushNotificationType, Urgency> = {
  party: "high",
  dm: "high",
  mention: "high",
  follow: "normal",
  like: "normal",
  comment: "normal",
  "track.ready": "normal",
  "track.failed": "normal",
  new_track: "low",
};

/** The app page a notification is about. */
export function notificationUrl(notification: PushableNotification): string {
  return notificationPath(notification);
}

/**
 * RFC 8030 Topic: a pending message with the same topic is replaced, so a grouped notification that
 * grew while the device was offline arrives once. At most 32 characters of the base64url alphabet.
 */
async function topicFor(notificationId: string): Promise<string> {
  if (/^[A-Za-z0-9_-]{1,32}$/.test(notificationId)) return notificationId;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(notificationId));
  return base64url(new Uint8Array(digest)).slice(0, 32);
}

export async function pushHeaders(notification: PushableNotification, silent: boolean): Promise<PushHeaders> {
  return {
    ttlSeconds: TTL_SECONDS[notification.type],
    urgency: silent ? "low" : URGENCY[notification.type],
    topic: await topicFor(notification.id),
  };
}

const PREVIEW_CHARS = 140;
const shorten = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text);

/** Only the fields the service worker shows, previews shortened, so the message fits one record. */
function trimmed(notification: PushableNotification): PushableNotification {
  const { id, type, createdAt, actors, actorCount, count, track, room, comment, message, reason } = notification;
  return {
    id,
    type,
    createdAt,
    actors: actors
      .slice(0, 3)
      .map(({ id, username, displayName }) => ({ id, username, displayName: shorten(displayName) })),
    actorCount,
    count,
    ...(track && { track: { id: track.id, title: shorten(track.title) } }),
    ...(room && { room: { id: room.id, name: shorten(room.name), kind: room.kind } }),
    ...(comment && { comment: { id: comment.id, atMs: comment.atMs, preview: shorten(comment.preview) } }),
    ...(message && { message: { id: message.id, preview: shorten(message.preview), reply: message.reply } }),
    ...(reason !== undefined && { reason: shorten(reason) }),
  };
}

const PAD_TO = 64;

/** The plaintext of the push message and the zero padding that rounds its length up (length hiding). */
export function encodePayload(
  notification: PushableNotification,
  silent: boolean,
  locale: string,
): { plaintext: Uint8Array; padding: number } {
  const payload: PushPayload = {
    notification: trimmed(notification),
    url: notificationUrl(notification),
    tag: `veza:${notification.id}`,
    silent,
    locale,
  };
  let plaintext = new TextEncoder().encode(JSON.stringify(payload));
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    // Never reached with the previews shortened, but a message that does not fit must still arrive.
    const { track, room, ...bare } = payload.notification;
    plaintext = new TextEncoder().encode(JSON.stringify({ ...payload, notification: { ...bare, actors: [] } }));
  }
  const padded = Math.min(Math.ceil((plaintext.length + 1) / PAD_TO) * PAD_TO - 1, MAX_PLAINTEXT_BYTES);
  return { plaintext, padding: Math.max(0, padded - plaintext.length) };
}
