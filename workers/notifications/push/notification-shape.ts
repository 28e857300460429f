import { NOTIFICATION_TYPES, type Notification, type NotificationType } from "../protocol.ts";

/** The notification types a push message may carry: every inbox type. */
export const PUSH_NOTIFICATION_TYPES = NOTIFICATION_TYPES;
export type PushNotificationType = NotificationType;

/** An inbox notification as a push message carries it (whether it was read is the inbox's business). */
export type PushableNotification = Omit<Notification, "readAt">;

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
