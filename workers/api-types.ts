/**
 * The one place web/ imports the Worker's types from (type-only: nothing here reaches the bundle).
 * The chat protocol's few constants and helpers, which have no runtime dependencies, are imported
 * from chat/protocol.ts directly.
 */
export type { AppType } from "./app.ts";
export type { SelfUser } from "./auth/users.ts";
export type { TrackResponse } from "./catalog/schemas.ts";
export type {
  ChatMessage,
  ClientFrame,
  PresenceUser,
  RoomRole,
  ServerFrame,
  You,
} from "./chat/protocol.ts";
export type { UserEvent } from "./live/user-events.ts";
export type { Notification, NotificationType } from "./notifications/protocol.ts";
export type {
  PushableNotification,
  PushNotificationType,
  PushPayload,
} from "./notifications/push/notification-shape.ts";
export type { ErrorCode } from "./shared/errors.ts";
