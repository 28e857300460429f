// A phone (360 px, touch): nothing sticks out sideways, the bottom navigation and the mini player
// stay on screen, the mini player opens the full player; then a track saved for offline plays
// with the network off.
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { horizontalOverflow, launchBrowser, registerInBrowser, screenshot, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
const PHONE = { width: 360, height: 740 };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let file: string;
const username = `phone_${Date.now().toString(36)}`;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    bypassCSP: true,
    locale: "en-US",
  });
  page = await context.newPage();
  const dir = scratchDir("veza-e2e-phone-");
  await generate(dir, "pocket.mp3", [
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=40",
    "-metadata",
    "title=Pocket Song With A Rather Long Title For A Small Screen",
    "-c:a",
    "libmp3lame",
    "-b:a",
    "128k",
  ]);
  file = join(dir, "pocket.mp3");
});
afterAll(async () => {
  await browser?.close();
});

async function checkPage(name: string) {
  await page.waitForLoadState("networkidle").catch(() => {});
  expect(await horizontalOverflow(page), `${name} overflows sideways`).toBeLessThanOrEqual(0);
  const violations = await seriousA11yViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations)}`).toEqual([]);
  await screenshot(page, `phone-${name}`);
}

describe("on a 360 px phone", () => {
  it("every page fits the width, with the navigation at the bottom", async () => {
    await page.goto(baseUrl);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await checkPage("home-signed-out");
    await registerInBrowser(page, baseUrl, username);
    const nav = page.getByRole("navigation", { name: "Main" }).last();
    const box = await nav.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    await checkPage("home");
    await page.goto(`${baseUrl}/upload`);
    await page.getByTestId("upload-input").setInputFiles(file);
    await page
      .getByTestId("upload-row")
      .getByRole("link", { name: /Pocket Song/ })
      .waitFor({ timeout: 60_000 });
    await checkPage("upload");
    for (const path of [
      "/search?q=pocket&type=tracks",
      "/library",
      "/albums",
      "/artists",
      "/genres",
      "/settings",
      `/u/${username}`,
    ]) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await checkPage(path.split(/[/?]/)[1] || "root");
    }
  });

  it("plays with the mini player on screen above the navigation, and opens the full player", async () => {
    await page.goto(`${baseUrl}/u/${username}`);
    await page.getByRole("button", { name: /^Play Pocket Song/ }).tap();
    const player = page.getByTestId("player");
    await player.waitFor();
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 0.3);
    const box = await player.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    const controls = await player.getByRole("button").all();
    for (const control of controls) {
      const size = await control.boundingBox();
      expect(Math.min(size?.width ?? 0, size?.height ?? 0), "touch target").toBeGreaterThanOrEqual(44);
    }
    await page
      .getByRole("link", { name: /Pocket Song/ })
      .first()
      .tap();
    await page.getByRole("heading", { name: /Pocket Song/ }).waitFor();
    await checkPage("track-playing");
    await player.getByRole("button", { name: /Open the player/ }).tap();
    const sheet = page.getByRole("dialog", { name: "Player" });
    await sheet.waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, "phone-full-player");
    await sheet.getByRole("button", { name: "Close" }).tap();
  });

  it("follows a dark system theme, with contrast still passing", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    for (const path of ["/", `/u/${username}`, "/library"]) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe("rgb(9, 9, 11)");
      await checkPage(`dark${path.replaceAll("/", "-")}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("a track saved for offline plays with the network off", async () => {
    await page.goto(`${baseUrl}/u/${username}`);
    // The service worker must control the page to answer the saved audio's URL.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.getByRole("button", { name: /^More actions for Pocket Song/ }).tap();
    await page.getByRole("menuitem", { name: "Save for offline" }).tap();
    await page.getByText("Saved for offline").waitFor({ state: "attached", timeout: 30_000 });
    // The player came back (paused) with the track after the reload.
    await page
      .getByTestId("now-playing")
      .getByText(/Pocket Song/)
      .waitFor();

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId("now-playing").waitFor();
    await page.getByRole("region", { name: "Player" }).getByRole("button", { name: "Play", exact: true }).tap();
    const from = await page.evaluate(() => document.querySelector("audio")?.currentTime ?? 0);
    await page.waitForFunction((t) => (document.querySelector("audio")?.currentTime ?? 0) > t + 1, from, {
      timeout: 15_000,
    });
    expect(await page.evaluate(() => document.querySelector<HTMLElement>("audio")?.dataset.source)).toBe("offline");
    // Seeking works from the cache too (the service worker answers ranges).
    await page.evaluate(() => {
      const audio = document.querySelector("audio");
      if (audio) audio.currentTime = 30;
    });
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 30.5, undefined, {
      timeout: 15_000,
    });
    await context.setOffline(false);
  });

  it("lists the saved track on the offline screen, and removes it from the device", async () => {
    await page.goto(`${baseUrl}/offline`);
    await page.getByRole("heading", { name: "Saved for offline", level: 1 }).waitFor();
    const saved = page.getByRole("list", { name: "Saved for offline" });
    await saved.getByRole("link", { name: "Pocket Song" }).waitFor();
    await checkPage("offline");
    await page.getByRole("button", { name: /^Remove Pocket Song.* from this device$/ }).tap();
    await page
      .getByRole("status")
      .getByText(/Pocket Song.* removed from this device\./)
      .waitFor();
    await page.getByText("Nothing saved yet.", { exact: false }).waitFor();
    expect(await page.evaluate(async () => (await (await caches.open("veza-offline-audio")).keys()).length)).toBe(0);
  });
});
