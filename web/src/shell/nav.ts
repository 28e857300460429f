import type { ComponentType } from "react";
import { ChatUnreadBadge } from "../chat/ChatUnreadBadge.tsx";
import type { IconName } from "../components/Icon.tsx";
import type { MessageKey } from "../i18n/i18n.ts";

/**
 * The main destinations, shown in the top bar on wide screens and the bottom bar on phones.
 * A feature adds its entry here (keep it to five: the phone bar has room for five).
 */
export type NavItem = {
  href: string;
  label: MessageKey;
  icon: IconName;
  /** Shown only to signed-in users. */
  signedIn?: boolean;
  /** A count shown beside the label (unread messages). */
  badge?: ComponentType;
};

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "nav.home", icon: "home" },
  { href: "/search", label: "nav.search", icon: "search" },
  { href: "/library", label: "nav.library", icon: "library", signedIn: true },
  { href: "/upload", label: "nav.upload", icon: "upload", signedIn: true },
  { href: "/chat", label: "nav.chat", icon: "chat", signedIn: true, badge: ChatUnreadBadge },
];

/** Whether `pathname` is inside the section `href` leads to. */
export const isActive = (href: string, pathname: string) =>
  href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
