import type { NotificationActor, NotificationSubject, NotificationType } from "./protocol.ts";

/**
 * One thing that happened, addressed to one recipient's inbox. Queues deliver at least once, so
 * every event carries a `key`: the inbox stores it and drops a second event with the same key.
 */
export type NotificationEvent = {
  type: NotificationType;
  /** Unique per event for a recipient ("like:<trackId>:<actorId>"); a repeat adds nothing. */
  key: string;
  /** Events with the same group (type + target) fold into one unread notification for a while. */
  group?: string;
  actor?: NotificationActor;
  subject: NotificationSubject;
  /** When it happened (ms); now when absent. */
  at?: number;
};
