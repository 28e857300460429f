import { describe, expect, it } from "vitest";
import type { PushableNotification, PushPayload } from "../../../workers/api-types.ts";
import { NAVIGATE_MESSAGE } from "../push/sw-messages.ts";
import { notificationFor, openInApp } from "./push.ts";

const like: PushableNotification = {
  id: "n1",
  type: "like",
  createdAt: "2026-11-29T22:00:00.000Z",
  actors: [{ id: "u1", username: "ana", displayName: "Ana" }],
  actorCount: 13,
  count: 13,
  track: { id: "t1", title: "Night Drive" },
};
const payload = (overrides: Partial<PushPayload> = {}): PushPayload => ({
  notification: like,
  url: "/tracks/t1",
  tag: "veza:n1",
  silent: false,
  locale: "en",
  ...overrides,
});

describe("the service worker's push notification", () => {
  it("is worded in the device's language, grouped by tag, and alerts again when it grows", () => {
    expect(notificationFor(payload())).toMatchObject({
      title: "Ana and 12 others liked “Night Drive”",
      options: { tag: "veza:n1", renotify: true, silent: false, data: { url: "/tracks/t1" }, lang: "en" },
    });
    expect(notificationFor(payload({ locale: "fr-CA" }))?.title).toBe(
      "Ana et 12 autres personnes aiment « Night Drive »",
    );
    expect(notificationFor(payload({ locale: "de" }))?.options.lang).toBe("en");
    const alone = { ...like, actorCount: 1, count: 1 };
    expect(notificationFor(payload({ notification: alone }))?.title).toBe("Ana liked “Night Drive”");
  });

  it("is silent during quiet hours", () => {
    expect(notificationFor(payload({ silent: true }))?.options).toMatchObject({ silent: true, renotify: false });
  });

  it("shows previews as the body and the failure reason of an upload", () => {
    const dm: PushableNotification = {
      ...like,
      type: "dm",
      actorCount: 1,
      count: 3,
      track: undefined,
      room: { id: "r1", name: "Ana", kind: "dm" },
      message: { id: "m1", preview: "See you tonight" },
    };
    expect(notificationFor(payload({ notification: dm }))).toMatchObject({
      title: "Ana (3 messages)",
      options: { body: "See you tonight" },
    });
    const failed: PushableNotification = {
      ...like,
      type: "track.failed",
      actors: [],
      actorCount: 0,
      reason: "Not audio",
    };
    expect(notificationFor(payload({ notification: failed }))).toMatchObject({
      title: "“Night Drive” could not be processed",
      options: { body: "Not audio" },
    });
  });

  it("ignores a message that is not one of ours", () => {
    expect(notificationFor(null)).toBeNull();
    expect(notificationFor({ hello: "world" })).toBeNull();
  });
});

type FakeWindow = { url: string; focused: boolean; messages: unknown[] };

/** The Clients API of a service worker, over a list of windows. */
function clientsOf(windows: FakeWindow[]) {
  const opened: string[] = [];
  return {
    opened,
    matchAll: async () =>
      windows.map((w) => ({
        url: w.url,
        focus: async () => {
          w.focused = true;
        },
        postMessage: (message: unknown) => w.messages.push(message),
      })),
    openWindow: async (url: string) => {
      opened.push(url);
    },
  };
}

describe("a click on a push notification", () => {
  const origin = "https://veza.example";

  it("focuses a window already on the page", async () => {
    const onPage = { url: `${origin}/tracks/t1`, focused: false, messages: [] };
    const elsewhere = { url: `${origin}/`, focused: false, messages: [] };
    const clients = clientsOf([elsewhere, onPage]);
    await openInApp(clients, origin, "/tracks/t1");
    expect(onPage.focused).toBe(true);
    expect(elsewhere.focused).toBe(false);
    expect(clients.opened).toEqual([]);
  });

  it("asks an open app window to navigate in place", async () => {
    const other = { url: "https://elsewhere.example/", focused: false, messages: [] };
    const app = { url: `${origin}/search`, focused: false, messages: [] as unknown[] };
    const clients = clientsOf([other, app]);
    await openInApp(clients, origin, "/chat/r1");
    expect(app.focused).toBe(true);
    expect(app.messages).toEqual([{ type: NAVIGATE_MESSAGE, url: "/chat/r1" }]);
    expect(other.focused).toBe(false);
  });

  it("opens a new window when the app is not open, and never another site", async () => {
    const clients = clientsOf([]);
    await openInApp(clients, origin, "/u/ana");
    await openInApp(clients, origin, "https://evil.example/phish");
    expect(clients.opened).toEqual([`${origin}/u/ana`]);
  });
});
