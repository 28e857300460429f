import { useQueryClient } from "@tanstack/react-query";
import { Artwork } from "../components/Artwork.tsx";
import { Icon } from "../components/Icon.tsx";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useLocation } from "../lib/router.ts";
import { signOut } from "../lib/sign-out.ts";
import { NotificationBell } from "../notifications/NotificationBell.tsx";
import { useSession } from "../stores/session.ts";
import { isActive, NAV_ITEMS } from "./nav.ts";

/** The top bar: the destinations on wide screens (phones have the bottom bar), the account on all. */
export function TopBar() {
  const t = useT();
  const user = useSession((s) => s.user);
  const { pathname } = useLocation();
  const queryClient = useQueryClient();

  return (
    <header className="sticky top-0 z-30 border-b border-line bg-bg/95 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-5xl items-center gap-2 px-3 sm:px-6">
        <Link href="/" className="nav-link text-xl font-extrabold tracking-tight">
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")} className="ml-4 hidden flex-1 items-center gap-1 md:flex">
          {NAV_ITEMS.filter((item) => !item.signedIn || user).map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className="nav-link"
              aria-current={isActive(item.href, pathname) ? "page" : undefined}
            >
              {t(item.label)}
              {item.badge && <item.badge />}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-1">
          {user?.role === "admin" && (
            <Link href="/admin" className="nav-link" aria-current={pathname === "/admin" ? "page" : undefined}>
              {t("nav.admin")}
            </Link>
          )}
          {user && <NotificationBell />}
          <Link href="/settings" className="icon-button" aria-label={t("nav.settings")} title={t("nav.settings")}>
            <Icon name="settings" />
          </Link>
          {user ? (
            <>
              <Link
                href={`/u/${user.username}`}
                className="icon-button"
                aria-label={t("nav.profile", { name: user.displayName })}
                title={user.displayName}
              >
                <Artwork src={user.avatarUrl} name={user.displayName} className="size-8 text-xs" round />
              </Link>
              <button
                type="button"
                className="icon-button"
                onClick={() => void signOut(queryClient)}
                aria-label={t("nav.signOut")}
                title={t("nav.signOut")}
              >
                <Icon name="signOut" />
              </button>
            </>
          ) : (
            <>
              <Link href="/login" className="nav-link">
                {t("nav.signIn")}
              </Link>
              <Link href="/register" className="btn-primary">
                {t("nav.register")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
