import { z } from "@hono/zod-openapi";
import { pageOf } from "../shared/openapi.ts";
import { NOTIFICATION_TYPES, type Notification } from "./protocol.ts";

const ActorSchema = z.object({ id: z.string(), username: z.string(), displayName: z.string() });

export const NotificationSchema = z
  .object({
    id: z.string(),
    type: z.enum(NOTIFICATION_TYPES),
    createdAt: z.string().openapi({ description: "When its latest event happened" }),
    readAt: z.string().nullable(),
    actors: z.array(ActorSchema).openapi({ description: "The latest people (up to 3), newest first" }),
    actorCount: z.number().int().openapi({ description: "How many people it groups" }),
    count: z.number().int().openapi({ description: "How many events it groups" }),
    track: z.object({ id: z.string(), title: z.string() }).optional(),
    room: z.object({ id: z.string(), name: z.string(), kind: z.enum(["public", "private", "dm"]) }).optional(),
    comment: z.object({ id: z.string(), atMs: z.number().int().nullable(), preview: z.string() }).optional(),
    message: z.object({ id: z.string(), preview: z.string(), reply: z.boolean().optional() }).optional(),
    reason: z.string().optional(),
  })
  .openapi("Notification");

// The response schema and the type the inbox stores and the live channel sends are the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof NotificationSchema>, Notification> = true;
void sameShape;

export const NotificationPageSchema = pageOf(NotificationSchema)
  .extend({ unreadCount: z.number().int() })
  .openapi("NotificationPage");

export const UnreadCountSchema = z.object({ unreadCount: z.number().int() }).openapi("NotificationUnreadCount");

export const MarkReadBody = z
  .object({
    ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "The notifications to mark read; every unread one when absent" }),
  })
  .openapi("MarkNotificationsRead");

export const MarkReadResultSchema = z
  .object({
    ids: z.array(z.string()).openapi({ description: "Those that were unread" }),
    unreadCount: z.number().int(),
  })
  .openapi("NotificationsRead");
