// The web app under its real Content-Security-Policy (no bypass): it loads, signs up, plays a
// track (hls.js over MSE or progressive) and registers its service worker with no violation,
// and it refuses to be framed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { launchBrowser, registerInBrowser } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`),
    );
  });
  page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(m.text());
  });
});
afterAll(async () => {
  await browser?.close();
});

describe("the web app under its Content-Security-Policy", () => {
  it("loads, signs up and plays a track with no violation", async () => {
    const artist = new ApiClient(baseUrl);
    await artist.register("csp_artist");
    const dir = scratchDir("veza-e2e-csp-");
    await generate(dir, "tone.mp3", ["-f", "lavfi", "-i", "sine=frequency=440:duration=8", "-c:a", "libmp3lame"]);
    const track = await artist.upload(readFileSync(join(dir, "tone.mp3")), "tone.mp3", "audio/mpeg", "CSP Tone");
    await artist.waitForStatus(track.id, ["ready"]);

    const response = await page.goto(baseUrl);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
    await registerInBrowser(page, baseUrl, `csp_${Date.now().toString(36)}`);
    await page.goto(`${baseUrl}/tracks/${track.id}`);
    await page.getByRole("heading", { name: "CSP Tone" }).waitFor();
    await page.getByRole("button", { name: /^Play/ }).first().click();
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 0.5, undefined, {
      timeout: 20_000,
    });
    await page.evaluate(() => navigator.serviceWorker.ready);
    // Other pages (chat opens a WebSocket on the same origin), loaded in-app and fresh.
    for (const path of ["/chat", "/search", "/settings", "/upload"]) {
      await page.goto(`${baseUrl}${path}`);
      await page.waitForLoadState("networkidle").catch(() => {});
    }
    expect(violations).toEqual([]);
  });

  it("cannot be framed", async () => {
    const framer = await context.newPage();
    await framer.setContent(`<iframe src="${baseUrl}/" width="400" height="300"></iframe>`);
    await framer.waitForTimeout(1_500);
    const frame = framer.frames().find((f) => f !== framer.mainFrame());
    // A refused frame holds Chromium's error page, never the app.
    expect(
      await frame
        ?.locator("#root")
        .count()
        .catch(() => 0),
    ).toBe(0);
    await framer.close();
  });
});
