import { createRoute } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, jsonBody, jsonResponse, PageQuery } from "../shared/openapi.ts";
import { listNotifications, markNotificationsRead, unreadNotificationCount } from "./inbox.ts";
import { MarkReadBody, MarkReadResultSchema, NotificationPageSchema, UnreadCountSchema } from "./schemas.ts";

const listRoute = createRoute({
  ...endpoint("get", "/me/notifications", "notifications"),
  summary: "My notifications, newest first (grouped), with the unread count",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(NotificationPageSchema, "A page of notifications") }),
});

const unreadRoute = createRoute({
  ...endpoint("get", "/me/notifications/unread-count", "notifications"),
  summary: "How many of my notifications are unread (the bell)",
  ...signedIn({ 200: jsonResponse(UnreadCountSchema, "The unread count") }),
});

const readRoute = createRoute({
  ...endpoint("post", "/me/notifications/read", "notifications"),
  summary: "Mark notifications read: the given ids, or all of them when `ids` is absent",
  request: jsonBody(MarkReadBody),
  ...signedIn({ 200: jsonResponse(MarkReadResultSchema, "Marked read") }),
});

/** The signed-in user's notification inbox (one NotificationInbox object per user). */
export const notificationRoutes = createRouter()
  .openapi(listRoute, async (c) => c.json(await listNotifications(c.env, c.var.viewer, c.req.valid("query")), 200))
  .openapi(unreadRoute, async (c) => c.json({ unreadCount: await unreadNotificationCount(c.env, c.var.viewer) }, 200))
  .openapi(readRoute, async (c) =>
    c.json(await markNotificationsRead(c.env, c.var.viewer, c.req.valid("json").ids), 200),
  );
