import { useQueryClient } from "@tanstack/react-query";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { useUserEvents } from "../lib/useUserEvents.ts";
import { useRooms } from "./chat-queries.ts";

/** The number of unread chat messages, beside the Chat destination of the navigation. */
export function ChatUnreadBadge() {
  const t = useT();
  const rooms = useRooms();
  const unread = rooms.data?.items.reduce((sum, room) => sum + room.unreadCount, 0) ?? 0;
  if (unread === 0) return null;
  return (
    <span className="ml-1 rounded-full bg-accent px-1.5 text-xs font-semibold text-accent-fg">
      <span aria-hidden="true">{unread}</span>
      <span className="sr-only">{t("chat.unread", { count: unread })}</span>
    </span>
  );
}

/** Mounted once: a mention or a DM on the user's live channel refreshes the room list (and the badge) at once. */
export function ChatLiveUpdates() {
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  useUserEvents((event) => {
    if (event.type === "notification") void queryClient.invalidateQueries({ queryKey: keys.rooms() });
  });
  return null;
}
