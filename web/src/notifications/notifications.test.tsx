import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Notification } from "../../../workers/api-types.ts";
import { useLocaleChoice } from "../i18n/i18n.ts";
import { queryKeys, viewerId } from "../lib/query-keys.ts";
import { useSession } from "../stores/session.ts";
import { NotificationBell } from "./NotificationBell.tsx";
import { NotificationList } from "./NotificationsPage.tsx";

const ana = { id: "u-ana", username: "ana", displayName: "Ana" };
const base = { createdAt: new Date(0).toISOString(), readAt: null, actors: [ana], actorCount: 1, count: 1 };
const items: Notification[] = [
  { ...base, id: "n1", type: "like", actorCount: 13, count: 13, track: { id: "t1", title: "Night Drive" } },
  { ...base, id: "n2", type: "follow", readAt: new Date(0).toISOString() },
  {
    ...base,
    id: "n3",
    type: "dm",
    count: 3,
    room: { id: "r1", name: "Ana", kind: "dm" },
    message: { id: "m", preview: "call me" },
  },
];

afterEach(() => {
  cleanup();
  useLocaleChoice.getState().choose(null);
  vi.restoreAllMocks();
});

describe("the notification inbox page", () => {
  it("words grouped notifications with the count of others and links each to its page", () => {
    useLocaleChoice.getState().choose("en");
    const opened = vi.fn();
    render(<NotificationList items={items} onOpen={opened} />);
    const like = screen.getByRole("link", { name: /Ana and 12 others liked “Night Drive”/ });
    expect(like.getAttribute("href")).toBe("/tracks/t1");
    expect(like.textContent).toContain("Unread:");
    expect(screen.getByRole("link", { name: /Ana followed you/ }).getAttribute("href")).toBe("/u/ana");
    const dm = screen.getByRole("link", { name: /Ana \(3 messages\)/ });
    expect(dm.getAttribute("href")).toBe("/chat/r1");
    expect(dm.textContent).toContain("call me");
    fireEvent.click(like);
    expect(opened).toHaveBeenCalledWith(items[0]);
  });

  it("speaks French, plurals included", () => {
    useLocaleChoice.getState().choose("fr");
    render(<NotificationList items={items.slice(0, 1)} onOpen={() => {}} />);
    expect(screen.getByRole("link", { name: /Ana et 12 autres personnes aiment « Night Drive »/ })).toBeTruthy();
    cleanup();
    render(<NotificationList items={[]} onOpen={() => {}} />);
    expect(screen.getByText(/Rien pour l’instant/)).toBeTruthy();
  });
});

describe("the bell", () => {
  it("shows the unread count, names it for screen readers and announces a new one politely", async () => {
    useLocaleChoice.getState().choose("en");
    useSession.setState({ user: { id: "me", username: "me", displayName: "Me" } as never });
    const client = new QueryClient({
      defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
    });
    const key = queryKeys(viewerId("me")).notificationsUnread();
    client.setQueryData(key, { unreadCount: 2 });
    render(
      <QueryClientProvider client={client}>
        <NotificationBell />
      </QueryClientProvider>,
    );
    const bell = screen.getByRole("link", { name: "Notifications, 2 unread" });
    expect(bell.getAttribute("href")).toBe("/notifications");
    const live = document.querySelector("[aria-live=polite]");
    expect(live?.textContent).toBe("");
    await act(async () => {
      client.setQueryData(key, { unreadCount: 3 });
    });
    expect(await screen.findByRole("link", { name: "Notifications, 3 unread" })).toBeTruthy();
    expect(live?.textContent).toBe("3 unread notifications");
    await act(async () => {
      client.setQueryData(key, { unreadCount: 0 });
    });
    expect(await screen.findByRole("link", { name: "Notifications" })).toBeTruthy();
    expect(screen.queryByTestId("notification-count")).toBeNull();
    // Reading them is the user's own doing: nothing new is announced.
    expect(live?.textContent).toBe("3 unread notifications");
  });
});
