import { readFileSync } from "node:fs";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, registerInBrowser, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchBrowser();
  // bypassCSP: axe-core is injected as a script tag; the app itself runs under its real headers.
  context = await browser.newContext({ acceptDownloads: true, bypassCSP: true, locale: "en-US" });
});
afterAll(async () => {
  await browser?.close();
});

describe("Settings → Your data", () => {
  it("downloads the archive, schedules the deletion with the password, and signing in cancels it", async () => {
    const page = await context.newPage();
    const username = `data_${Date.now().toString(36)}`;
    await registerInBrowser(page, baseUrl, username);
    await page.goto(`${baseUrl}/settings`);
    await page.getByRole("link", { name: /Your data/ }).click();
    await page.getByRole("heading", { name: "Your data", level: 1 }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download my data" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^veza-export-${username}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const archive = JSON.parse(readFileSync((await download.path()) as string, "utf8"));
    expect(archive).toMatchObject({ format: "veza-account-export", version: 1, profile: { username } });
    await page.getByRole("status").filter({ hasText: "Your data was saved as" }).waitFor();

    await page.getByRole("button", { name: "Delete my account…" }).click();
    const password = page.getByLabel("Your password, to confirm");
    expect(await password.evaluate((input) => input === document.activeElement)).toBe(true);
    await password.fill("not the password");
    await page.getByRole("button", { name: "Delete my account", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "The password is not correct." }).waitFor();

    await password.fill("a long enough password");
    await page.getByRole("button", { name: "Delete my account", exact: true }).click();
    await page.getByRole("heading", { name: "Your account will be deleted" }).waitFor();
    const scheduled = await page.getByRole("status").filter({ hasText: "It will be deleted on" }).textContent();
    const inAWeek = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    expect(scheduled).toContain(String(inAWeek.getDate()));
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Signed out everywhere, this tab included.
    await page.reload();
    await page.getByRole("link", { name: "Sign in" }).first().waitFor();

    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("Email or username").fill(username);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("status").filter({ hasText: "your account's deletion" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/settings/data");
    await page.getByRole("button", { name: "Download my data" }).waitFor();
    await page.close();
  });
});
