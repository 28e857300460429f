import { useQueryClient } from "@tanstack/react-query";
import { Link } from "../components/Link.tsx";
import { useUserEvents } from "../lib/useUserEvents.ts";
import { useChatKeys, useRooms } from "./chat-queries.ts";

/** The Chat entry of the navigation, with the number of unread messages; a mention or DM refreshes it at once. */
export function ChatNavLink() {
  const rooms = useRooms();
  const keys = useChatKeys();
  const queryClient = useQueryClient();
  useUserEvents((event) => {
    if (event.type === "notification") void queryClient.invalidateQueries({ queryKey: keys.rooms() });
  });
  const unread = rooms.data?.items.reduce((sum, room) => sum + room.unreadCount, 0) ?? 0;
  return (
    <Link href="/chat" aria-label={unread > 0 ? `Chat, ${unread} unread` : "Chat"}>
      Chat
      {unread > 0 && (
        <span aria-hidden="true" className="ml-1 rounded-full bg-sky-600 px-1.5 text-xs font-semibold text-white">
          {unread}
        </span>
      )}
    </Link>
  );
}
