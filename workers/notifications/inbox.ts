import type { AuthUser } from "../auth/types.ts";
import type { Env } from "../env.ts";
import { publishToUser } from "../live/user-events.ts";
import { decodeCursor } from "../shared/cursor.ts";
import { ApiError } from "../shared/errors.ts";
import type { PageRequest } from "../shared/keyset.ts";
import { inboxOf } from "./inbox/notification-inbox.ts";

/** The viewer's notifications, newest first, with the unread count. */
export async function listNotifications(env: Env, viewer: AuthUser, page: PageRequest) {
  // Checked here: an error thrown inside the object would reach the caller as a plain Error.
  const after = decodeCursor(page.cursor);
  if (after && typeof after.k !== "number") {
    throw new ApiError(400, "invalid_cursor", "The cursor is not valid; start again without it.");
  }
  return inboxOf(env, viewer.id).list(viewer.id, page);
}

export async function unreadNotificationCount(env: Env, viewer: AuthUser): Promise<number> {
  return inboxOf(env, viewer.id).unreadCount(viewer.id);
}

/** Marks some (or all) of the viewer's notifications read, and tells their other tabs. */
export async function markNotificationsRead(env: Env, viewer: AuthUser, ids: string[] | undefined) {
  const result = await inboxOf(env, viewer.id).markRead(viewer.id, ids);
  if (result.ids.length > 0) {
    await publishToUser(env, viewer.id, {
      type: "notifications.read",
      ids: ids ? result.ids : null,
      unreadCount: result.unreadCount,
    });
  }
  return result;
}
