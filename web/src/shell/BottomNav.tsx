import { Icon } from "../components/Icon.tsx";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useLocation } from "../lib/router.ts";
import { useSession } from "../stores/session.ts";
import { isActive, NAV_ITEMS } from "./nav.ts";

/** Phones: the destinations as a bar at the bottom, in thumb reach. */
export function BottomNav() {
  const t = useT();
  const user = useSession((s) => s.user);
  const { pathname } = useLocation();
  return (
    <nav aria-label={t("nav.main")} className="border-t border-line bg-surface md:hidden">
      <ul className="flex">
        {NAV_ITEMS.filter((item) => !item.signedIn || user).map((item) => {
          const active = isActive(item.href, pathname);
          return (
            <li key={item.href} className="flex-1">
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`flex min-h-14 flex-col items-center justify-center gap-0.5 text-xs no-underline ${active ? "text-link" : "text-muted"}`}
              >
                <Icon name={item.icon} />
                <span>
                  {t(item.label)}
                  {item.badge && <item.badge />}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
