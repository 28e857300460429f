import type { Notification } from "../../../workers/api-types.ts";
import { notificationPath } from "../../../workers/notifications/protocol.ts";
import { Link } from "../components/Link.tsx";
import { ErrorView, Loading } from "../components/QueryView.tsx";
import { useLocale, useT } from "../i18n/i18n.ts";
import { notificationText } from "../push/notification-text.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import { useMarkNotificationsRead, useNotificationPages, useUnreadNotifications } from "./notification-queries.ts";

/** The inbox: grouped notifications newest first, each linking to its page; mark one or all read. */
export function NotificationsPage() {
  const t = useT();
  const signedIn = useSession((s) => !!s.user);
  if (!signedIn) {
    return (
      <section className="py-6">
        <PageTitle>{t("notifications.title")}</PageTitle>
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> {t("notifications.signIn")}
        </p>
      </section>
    );
  }
  return <Inbox />;
}

function Inbox() {
  const t = useT();
  const pages = useNotificationPages();
  const unread = useUnreadNotifications().data?.unreadCount ?? 0;
  const markRead = useMarkNotificationsRead();

  return (
    <section className="flex max-w-2xl flex-col gap-4 py-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <PageTitle>{t("notifications.title")}</PageTitle>
        <button
          type="button"
          className="btn"
          disabled={unread === 0 || markRead.isPending}
          onClick={() => markRead.mutate(undefined)}
        >
          {t("notifications.markAll")}
        </button>
      </div>
      {markRead.isError && (
        <p role="alert" className="text-danger">
          {markRead.error.message}
        </p>
      )}
      {pages.isPending ? (
        <Loading />
      ) : pages.isError ? (
        <ErrorView error={pages.error} retry={() => void pages.refetch()} />
      ) : (
        <NotificationList
          items={pages.data.pages.flatMap((page) => page.items)}
          onOpen={(item) => {
            if (!item.readAt) markRead.mutate([item.id]);
          }}
        />
      )}
      {pages.hasNextPage && (
        <button
          type="button"
          className="btn self-center"
          disabled={pages.isFetchingNextPage}
          aria-busy={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          {pages.isFetchingNextPage ? t("app.loading") : t("notifications.more")}
        </button>
      )}
    </section>
  );
}

export function NotificationList({ items, onOpen }: { items: Notification[]; onOpen: (item: Notification) => void }) {
  const t = useT();
  const locale = useLocale();
  if (items.length === 0) return <p className="text-muted">{t("notifications.empty")}</p>;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (
    <ul className="flex flex-col" data-testid="notifications">
      {items.map((item) => {
        const text = notificationText(item, locale);
        return (
          <li key={item.id} className="border-b border-line">
            <Link
              href={notificationPath(item)}
              onClick={() => onOpen(item)}
              className={`flex items-start gap-3 py-3 ${item.readAt ? "text-muted" : ""}`}
            >
              <span
                aria-hidden="true"
                className={`mt-2 size-2 shrink-0 rounded-full ${item.readAt ? "bg-transparent" : "bg-accent"}`}
              />
              <span className="min-w-0 flex-1">
                {!item.readAt && <span className="sr-only">{t("notifications.unread")} </span>}
                <span className={`block ${item.readAt ? "" : "font-semibold"}`}>{text.title}</span>
                {text.body && <span className="block truncate text-sm text-muted">{text.body}</span>}
                <time className="block text-xs text-muted" dateTime={item.createdAt}>
                  {when.format(new Date(item.createdAt))}
                </time>
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
