import { Suspense } from "react";
import { VerifyEmailBanner } from "../account/VerifyEmailBanner.tsx";
import { ChatLiveUpdates } from "../chat/ChatUnreadBadge.tsx";
import { StatusHeartbeat } from "../chat/status.tsx";
import { PlayerDock } from "../components/player/PlayerDock.tsx";
import { Loading } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { matchPath, useLocation } from "../lib/router.ts";
import { NotificationLiveUpdates } from "../notifications/notification-queries.ts";
import { NOT_FOUND, ROUTES } from "../routes.tsx";
import { useSession } from "../stores/session.ts";
import { BottomNav } from "./BottomNav.tsx";
import { RouteAnnouncer } from "./RouteAnnouncer.tsx";
import { TopBar } from "./TopBar.tsx";

function CurrentPage() {
  const { pathname } = useLocation();
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) return <>{route.render(params)}</>;
  }
  return <>{NOT_FOUND.render({})}</>;
}

/**
 * The frame around every page: top bar, the page, and (fixed at the bottom) the player and, on
 * phones, the navigation. Pages render only once the session is restored, so their first fetch
 * already carries the viewer.
 */
export function AppShell() {
  const t = useT();
  const restored = useSession((s) => s.restored);
  const signedIn = useSession((s) => !!s.user);
  return (
    <div className="flex min-h-dvh flex-col bg-bg text-fg">
      <a href="#main" className="skip-link">
        {t("app.skip")}
      </a>
      <TopBar />
      {signedIn && <VerifyEmailBanner />}
      <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-3 pb-40 sm:px-6" aria-busy={!restored}>
        {restored ? (
          <Suspense fallback={<Loading />}>
            <CurrentPage />
          </Suspense>
        ) : (
          <Loading />
        )}
      </main>
      <div className="fixed inset-x-0 bottom-0 z-30">
        <PlayerDock />
        <BottomNav />
      </div>
      <RouteAnnouncer />
      {signedIn && <ChatLiveUpdates />}
      {signedIn && <NotificationLiveUpdates />}
      {signedIn && <StatusHeartbeat />}
    </div>
  );
}
