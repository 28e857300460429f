import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, registerInBrowser } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("accounts in the browser", () => {
  it("registers, stays signed in across a reload, signs out", async () => {
    const page = await browser.newPage();
    const username = `e2e_${Date.now().toString(36)}`;
    await registerInBrowser(page, baseUrl, username);

    await page.reload();
    await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Music from independent artists" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    await page.close();
  });

  it("shows the server's error for a wrong password, in an alert", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("Email or username").fill("nobody_by_this_name");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Incorrect login or password.");
    await page.close();
  });

  it("sign-up shows why a commonly used password is refused", async () => {
    const page = await browser.newPage();
    const username = `weak_${Date.now().toString(36)}`;
    await page.goto(`${baseUrl}/register`);
    await page.getByLabel("Email").fill(`${username}@example.test`);
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill("password123");
    await page.getByRole("button", { name: "Create your account" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("most commonly used");
    await page.close();
  });

  it("serves the web app manifest so it installs as a PWA", async () => {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBeTruthy();
    const manifest = await (await fetch(new URL(href as string, baseUrl))).json();
    expect(manifest).toMatchObject({ name: "Veza", display: "standalone", start_url: "/" });
    await page.close();
  });
});
