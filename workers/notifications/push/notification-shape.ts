/**
 * The notification types and the fields of an inbox notification that a push message carries.
 * The inbox's stored notification (workers/notifications/) has these fields and more.
 */
export const PUSH_NOTIFICATION_TYPES = [
  "follow",
  "like",
  "comment",
  "mention",
  "dm",
  "track.ready",
  "track.failed",
  "new_track",
  "party",
] as const;
export type PushNotificationType = (typeof PUSH_NOTIFICATION_TYPES)[number];

export type PushableNotification = {
  id: string;
  type: PushNotificationType;
  createdAt: string;
  actors: { id: string; username: string; displayName: string }[];
  actorCount: number;
  count: number;
  track?: { id: string; title: string };
  room?: { id: string; name: string; kind: "public" | "private" | "dm" };
  comment?: { id: string; atMs: number | null; preview: string };
  message?: { id: string; preview: string; reply?: boolean };
  reason?: string;
};

/** The JSON inside a push message, as the service worker reads it (web/src/sw/push.ts). */
export type PushPayload = {
  notification: PushableNotification;
  /** The app page a click opens. */
  url: string;
  /** Groups notifications on the device: a newer one with the same tag replaces the shown one. */
  tag: string;
  /** Quiet hours: shown without sound or vibration. */
  silent: boolean;
  /** The app's language on the device when it subscribed; the service worker words the text in it. */
  locale: string;
};
