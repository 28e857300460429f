/**
 * Notifications as the API and the live channel carry them, shared with web/ (type-only; no
 * runtime dependencies). DESIGN.md fixes `{id, type, createdAt, readAt, …}` and the types.
 */
export const NOTIFICATION_TYPES = [
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
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Who did it, as the inbox remembers them. */
export type NotificationActor = { id: string; username: string; displayName: string };

/** What a notification is about; which fields are present depends on the type. */
export type NotificationSubject = {
  track?: { id: string; title: string };
  room?: { id: string; name: string; kind: "public" | "private" | "dm" };
  comment?: { id: string; atMs: number | null; preview: string };
  message?: { id: string; preview: string; reply?: boolean };
  /** Why an upload failed (`track.failed`). */
  reason?: string;
};

export type Notification = NotificationSubject & {
  id: string;
  type: NotificationType;
  /** When the latest event of the notification happened (a group moves up when it grows). */
  createdAt: string;
  readAt: string | null;
  /** The latest actors, newest first (at most 3); empty for events nobody did (`track.ready`). */
  actors: NotificationActor[];
  /** How many different people the notification groups ("Ana and 12 others liked …"). */
  actorCount: number;
  /** How many events it groups (three messages in a DM from one person: 3). */
  count: number;
};

/** The app page a notification is about (the inbox links to it; a push opens it on click). */
export function notificationPath(notification: Pick<Notification, "type" | "actors" | "room" | "track">): string {
  switch (notification.type) {
    case "follow": {
      const actor = notification.actors[0];
      return actor ? `/u/${encodeURIComponent(actor.username)}` : "/notifications";
    }
    case "mention":
    case "dm":
    case "party":
      return notification.room ? `/chat/${encodeURIComponent(notification.room.id)}` : "/notifications";
    default:
      return notification.track ? `/tracks/${encodeURIComponent(notification.track.id)}` : "/notifications";
  }
}
