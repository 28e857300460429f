import { useEffect, useRef, useState } from "react";
import { Icon } from "../components/Icon.tsx";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useLocation } from "../lib/router.ts";
import { useUnreadNotifications } from "./notification-queries.ts";

/**
 * The bell in the top bar: the unread count, live. Screen readers hear a new count politely
 * (only when it grows: marking read is the reader's own doing); the link's name carries it too.
 */
export function NotificationBell() {
  const t = useT();
  const { pathname } = useLocation();
  const unread = useUnreadNotifications().data?.unreadCount ?? 0;
  const [announcement, setAnnouncement] = useState("");
  const previous = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (previous.current !== undefined && unread > previous.current) {
      setAnnouncement(t("notifications.announce", { count: unread }));
    }
    previous.current = unread;
  }, [unread, t]);

  return (
    <>
      <Link
        href="/notifications"
        className="icon-button relative"
        aria-label={t("notifications.bell", { count: unread })}
        title={t("notifications.title")}
        aria-current={pathname === "/notifications" ? "page" : undefined}
      >
        <Icon name="bell" />
        {unread > 0 && (
          <span
            aria-hidden="true"
            data-testid="notification-count"
            className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-accent px-1 text-center text-xs font-semibold text-accent-fg"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </Link>
      <span className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </span>
    </>
  );
}
