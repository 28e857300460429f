import { SELF } from "cloudflare:test";
import { expect, vi } from "vitest";
import type { UserEvent } from "../../live/user-events.ts";
import { call, json, type TestUser } from "../../test/http.ts";
import type { Notification } from "../protocol.ts";

export type InboxPage = { items: Notification[]; nextCursor: string | null; unreadCount: number };

export async function inbox(user: TestUser, query = ""): Promise<InboxPage> {
  const response = await call("GET", `/api/v1/me/notifications${query}`, { token: user.token });
  expect(response.status).toBe(200);
  return json(response);
}

/** Waits until the user's inbox holds `n` notifications (work done in waitUntil lands a little later). */
export async function waitForInbox(user: TestUser, n: number): Promise<InboxPage> {
  return vi.waitFor(
    async () => {
      const page = await inbox(user, "?limit=100");
      if (page.items.length < n) throw new Error(`${page.items.length} notifications, waiting for ${n}`);
      return page;
    },
    { timeout: 5_000, interval: 20 },
  );
}

/** The user's live channel, recording every event it receives. */
export async function liveChannel(user: TestUser) {
  const ticket = (await json(await call("POST", "/api/v1/me/events/ticket", { token: user.token }))).ticket;
  const response = await SELF.fetch(`https://veza.test/api/v1/me/events?ticket=${encodeURIComponent(ticket)}`, {
    headers: { upgrade: "websocket" },
  });
  expect(response.status).toBe(101);
  const socket = response.webSocket as WebSocket;
  socket.accept();
  const events: UserEvent[] = [];
  socket.addEventListener("message", (e) => {
    events.push(JSON.parse(String(e.data)) as UserEvent);
  });
  return {
    socket,
    events,
    notifications: () =>
      events.flatMap((e) => (e.type === "notification" ? [{ ...e.notification, unreadCount: e.unreadCount }] : [])),
    async next<T extends UserEvent["type"]>(type: T, from = 0): Promise<Extract<UserEvent, { type: T }>> {
      return vi.waitFor(
        () => {
          const found = events.slice(from).find((e): e is Extract<UserEvent, { type: T }> => e.type === type);
          if (!found) throw new Error(`no ${type} event yet`);
          return found;
        },
        { timeout: 5_000, interval: 10 },
      );
    },
    close: () => socket.close(),
  };
}
