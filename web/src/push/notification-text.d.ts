import type { PushableNotification } from "../../../workers/api-types.ts";
import { type Locale } from "../i18n/translate.ts";
/**
 * The words of a notification (title and body) in one locale: the service worker shows them for a
 * push message, and the same function words a notification anywhere in the app.
 */
export type NotificationText = {
  title: string;
  body: string;
};
/** The app's locale for a language tag ("fr-CA" → fr); English for any other. */
export declare function localeOf(tag: string): Locale;
export declare function notificationText(notification: PushableNotification, locale: Locale): NotificationText;
