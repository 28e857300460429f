import type { PushableNotification } from "../../../workers/api-types.ts";
import { LOCALES, type Locale, translate } from "../i18n/translate.ts";

/**
 * The words of a notification (title and body) in one locale: the service worker shows them for a
 * push message, and the same function words a notification anywhere in the app.
 */
export type NotificationText = { title: string; body: string };

/** The app's locale for a language tag ("fr-CA" → fr); English for any other. */
export function localeOf(tag: string): Locale {
  const base = tag.toLowerCase().split("-")[0] ?? "";
  return base in LOCALES ? (base as Locale) : "en";
}

export function notificationText(notification: PushableNotification, locale: Locale): NotificationText {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(locale, key, vars);
  const actor = notification.actors[0]?.displayName ?? t("pushText.someone");
  const track = notification.track?.title ?? t("pushText.aTrack");
  const room = notification.room?.name ?? t("pushText.aRoom");
  // "Ana and 12 others": the others are the distinct people beyond the first.
  const others = Math.max(0, notification.actorCount - 1);
  switch (notification.type) {
    case "follow":
      return { title: t("pushText.follow", { actor, count: others }), body: "" };
    case "like":
      return { title: t("pushText.like", { actor, track, count: others }), body: "" };
    case "comment":
      return {
        title: t("pushText.comment", { actor, track, count: others }),
        body: notification.comment?.preview ?? "",
      };
    case "mention":
      return {
        title: t(notification.message?.reply ? "pushText.reply" : "pushText.mention", { actor, room }),
        body: notification.message?.preview ?? "",
      };
    case "dm":
      return {
        title: t("pushText.dm", { actor, count: Math.max(1, notification.count) }),
        body: notification.message?.preview ?? "",
      };
    case "track.ready":
      return { title: t("pushText.trackReady", { track }), body: t("pushText.trackReadyBody") };
    case "track.failed":
      return { title: t("pushText.trackFailed", { track }), body: notification.reason ?? "" };
    case "new_track":
      return { title: t("pushText.newTrack", { actor, track }), body: "" };
    case "party":
      return { title: t("pushText.party", { actor, room }), body: "" };
  }
}
