// Web Push in the browser: the notification settings page (the permission prompt only on request,
// per-type switches and quiet hours that persist), and the service worker showing a push message.
// Chromium cannot reach a real push service here, so the message is handed to the service worker
// through the DevTools protocol (ServiceWorker.deliverPushMessage), as a push service would after
// decryption; its bytes are those the Worker encrypts (workers/notifications/push/message.ts).
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { encodePayload } from "../workers/notifications/push/message.ts";
import type { PushableNotification } from "../workers/notifications/push/notification-shape.ts";
import { launchBrowser, registerInBrowser, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function freshPage(options: { grantNotifications: boolean }): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP: axe-core is injected as a script tag; the app itself runs under its real headers.
  const context = await browser.newContext({
    viewport: { width: 1000, height: 900 },
    locale: "en-US",
    bypassCSP: true,
  });
  if (options.grantNotifications) await context.grantPermissions(["notifications"], { origin: baseUrl });
  const page = await context.newPage();
  return { context, page };
}

describe("the notification settings page", () => {
  it("keeps per-type switches and quiet hours, and asks for permission only when push is turned on", async () => {
    const { context, page } = await freshPage({ grantNotifications: false });
    await registerInBrowser(page, baseUrl, `push_${Date.now().toString(36)}`);
    await page.goto(`${baseUrl}/settings/notifications`);
    await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
    await page.getByText("Push notifications are off for this device.").waitFor();
    // Opening the page asked nothing of the browser.
    expect(await page.evaluate(() => Notification.permission)).toBe("default");

    const likes = page.getByRole("checkbox", { name: "Likes on your tracks" });
    expect(await likes.isChecked()).toBe(true);
    await likes.uncheck();
    await page.getByText("Saved.").first().waitFor();

    await page.getByRole("checkbox", { name: "Use quiet hours" }).check();
    await page.getByLabel("From", { exact: true }).fill("23:00");
    await page.getByLabel("Until", { exact: true }).fill("06:30");
    await page.getByRole("button", { name: "Save quiet hours" }).click();
    await page.getByText("Saved.").last().waitFor();

    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.reload();
    await page.getByRole("checkbox", { name: "Likes on your tracks" }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Likes on your tracks" }).isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "Direct messages" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Use quiet hours" }).isChecked()).toBe(true);
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("23:00");
    expect(await page.getByLabel("Until", { exact: true }).inputValue()).toBe("06:30");

    // Only now does the app ask; this headless browser does not grant it, and the page says so.
    await page.getByRole("button", { name: "Turn on push notifications" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/blocked for this site|Permission was not granted/);
    await context.close();
  });
});

describe("the service worker", () => {
  it("shows a pushed notification worded in the device's language, tagged for grouping", async () => {
    const { context, page } = await freshPage({ grantNotifications: true });
    await page.goto(baseUrl);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const ours = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(baseUrl));
        if (ours) resolve(ours.registrationId);
      });
    });
    await cdp.send("ServiceWorker.enable");

    const notification: PushableNotification = {
      id: `n${Date.now().toString(36)}`,
      type: "like",
      createdAt: new Date().toISOString(),
      actors: [{ id: "u-ana", username: "ana", displayName: "Ana" }],
      actorCount: 13,
      count: 13,
      track: { id: "t-night", title: "Night Drive" },
    };
    const { plaintext } = encodePayload(notification, true, "fr");
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: new URL(baseUrl).origin,
      registrationId: await registrationId,
      data: new TextDecoder().decode(plaintext),
    });

    const readShown = () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        const [first] = await registration.getNotifications();
        return first
          ? { title: first.title, body: first.body, tag: first.tag, silent: first.silent, data: first.data }
          : null;
      });
    let shown = await readShown();
    for (let waited = 0; !shown && waited < 10_000; waited += 200) {
      await new Promise((r) => setTimeout(r, 200));
      shown = await readShown();
    }
    expect(shown).toEqual({
      title: "Ana et 12 autres personnes aiment « Night Drive »",
      body: "",
      tag: `veza:${notification.id}`,
      silent: true,
      data: { url: "/tracks/t-night" },
    });
    await context.close();
  });
});
