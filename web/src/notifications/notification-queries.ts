import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { useUserEvents } from "../lib/useUserEvents.ts";
import { useSession } from "../stores/session.ts";

/** The bell's number: fetched once, then kept current by the live channel (NotificationLiveUpdates). */
export function useUnreadNotifications() {
  const keys = useQueryKeys();
  const signedIn = useSession((s) => !!s.user);
  return useQuery({
    queryKey: keys.notificationsUnread(),
    queryFn: () => unwrap(api.me.notifications["unread-count"].$get()),
    enabled: signedIn,
    staleTime: 60_000,
  });
}

export function useNotificationPages() {
  const keys = useQueryKeys();
  return useInfiniteQuery({
    queryKey: keys.notifications(),
    queryFn: ({ pageParam }) => unwrap(api.me.notifications.$get({ query: { cursor: pageParam, limit: 30 } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Marks some notifications read, or all of them without ids. */
export function useMarkNotificationsRead() {
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids?: string[]) => unwrap(api.me.notifications.read.$post({ json: ids ? { ids } : {} })),
    onSuccess: (result) => {
      queryClient.setQueryData(keys.notificationsUnread(), { unreadCount: result.unreadCount });
      void queryClient.invalidateQueries({ queryKey: keys.notifications() });
    },
  });
}

/** Mounted once: a notification or a read in another tab updates the bell and the inbox at once. */
export function NotificationLiveUpdates() {
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  useUserEvents((event) => {
    if (event.type !== "notification" && event.type !== "notifications.read") return;
    queryClient.setQueryData(keys.notificationsUnread(), { unreadCount: event.unreadCount });
    void queryClient.invalidateQueries({ queryKey: keys.notifications() });
  });
  return null;
}
