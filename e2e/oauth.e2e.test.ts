import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, registerInBrowser, screenshot, seriousA11yViolations } from "./browser.ts";

// The stack (e2e/global-setup.ts) has GitHub and Discord pointed at the fake provider of
// e2e/fake-oauth-provider.ts, a real HTTP server with a consent form; Google is not configured.
const baseUrl = inject("baseUrl");
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

/** A separate browser (own cookies); CSP bypassed only so axe-core can be injected. */
async function newDevice(): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, locale: "en-US" });
  contexts.push(context);
  return context.newPage();
}

type FakeAccount = { id: string; login: string; name?: string; email: string; verified: boolean };

/** Fills in the fake provider's consent form and authorizes. */
async function authorizeAtProvider(page: Page, account: FakeAccount) {
  await page.getByRole("heading", { name: /Sign in to fake/ }).waitFor();
  await page.getByLabel("Account id").fill(account.id);
  await page.getByLabel("Login").fill(account.login);
  await page.getByLabel("Name").fill(account.name ?? "");
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  if (account.verified) await page.getByLabel("Email verified").check();
  await page.getByRole("button", { name: "Authorize" }).click();
}

async function signInWith(page: Page, provider: "GitHub" | "Discord", account: FakeAccount) {
  await page.goto(`${baseUrl}/login`);
  await page.getByRole("button", { name: `Continue with ${provider}` }).click();
  await authorizeAtProvider(page, account);
}

const tag = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

describe("sign in with a provider", () => {
  it("shows buttons only for configured providers, on sign-in and sign-up", async () => {
    const page = await newDevice();
    for (const path of ["/login", "/register"]) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole("button", { name: "Continue with GitHub" }).waitFor();
      expect(await page.getByRole("button", { name: "Continue with Discord" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Continue with Google" }).count()).toBe(0);
    }
    await screenshot(page, "oauth-register-buttons");
  });

  it("creates an account through Discord, lists this device, and signs another device out", async () => {
    const id = tag();
    const account = { id, login: `disco_${id}`, name: "Disco", email: `disco${id}@example.test`, verified: true };
    const laptop = await newDevice();
    await signInWith(laptop, "Discord", account);
    await laptop.getByRole("heading", { name: "Welcome, Disco" }).waitFor();
    // The callback page replaced itself in history: its single-use code is not visited again.
    expect(new URL(laptop.url()).pathname).toBe("/");

    const phone = await newDevice();
    await signInWith(phone, "Discord", account);
    await phone.getByRole("heading", { name: "Welcome, Disco" }).waitFor();

    await laptop.goto(`${baseUrl}/settings/sessions`);
    const list = laptop.getByRole("list", { name: "Signed-in devices" });
    await list.getByRole("listitem").nth(1).waitFor();
    expect(await list.getByRole("listitem").count()).toBe(2);
    expect(await list.getByText("This device").count()).toBe(1);
    expect(await list.getByText("with Discord").count()).toBe(2);
    expect(await list.getByText(/^Chrome \d+ on Linux/).count()).toBe(2);
    expect(await seriousA11yViolations(laptop)).toEqual([]);
    await screenshot(laptop, "sessions-two-devices");

    const signOutOther = list.getByRole("button", { name: /^Sign out .* on / });
    expect(await signOutOther.count()).toBe(1);
    await signOutOther.click();
    await laptop.getByRole("status").filter({ hasText: "is signed out." }).waitFor();
    await expect.poll(() => list.getByRole("listitem").count()).toBe(1);

    // The phone's session has ended: a reload cannot restore it.
    await phone.reload();
    await phone.getByRole("link", { name: "Sign in" }).first().waitFor();
    expect(await phone.getByRole("button", { name: "Sign out" }).count()).toBe(0);
  });

  it("signs out every other device at once", async () => {
    const username = `multi_${tag()}`;
    const first = await newDevice();
    await registerInBrowser(first, baseUrl, username);
    const second = await newDevice();
    await second.goto(`${baseUrl}/login`);
    await second.getByLabel("Email or username").fill(username);
    await second.getByLabel("Password").fill("a long enough password");
    await second.getByRole("button", { name: "Sign in" }).click();
    await second.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();

    await second.goto(`${baseUrl}/settings/sessions`);
    await second.getByRole("button", { name: "Sign out all other devices" }).click();
    await second.getByText("Every other device is signed out.").waitFor();
    await first.reload();
    await first.getByRole("link", { name: "Sign in" }).first().waitFor();
    await second.reload();
    await second.getByRole("heading", { name: "Signed-in devices" }).waitFor();
    await second.getByText("This device").waitFor();
  });

  it("links GitHub in settings, and never unlinks the last way in", async () => {
    const id = tag();
    const page = await newDevice();
    await signInWith(page, "Discord", { id, login: `linker_${id}`, email: `linker${id}@example.test`, verified: true });
    await page.getByRole("heading", { name: `Welcome, linker_${id}` }).waitFor();

    await page.goto(`${baseUrl}/settings/linked-accounts`);
    const only = page.getByRole("button", { name: `Unlink Discord account linker_${id}` });
    await only.waitFor();
    expect(await only.isDisabled()).toBe(true);
    await page.getByText("This is your only way to sign in").waitFor();

    await page.getByRole("button", { name: "Link GitHub" }).click();
    await authorizeAtProvider(page, {
      id: `gh${id}`,
      login: `octo${id}`,
      email: `other${id}@example.test`,
      verified: false,
    });
    await page.getByRole("status").filter({ hasText: "GitHub is now linked to your account." }).waitFor();
    const github = page.getByRole("button", { name: `Unlink GitHub account octo${id}` });
    await github.waitFor();
    expect(await only.isDisabled()).toBe(false);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "linked-accounts");
    await github.click();
    await github.waitFor({ state: "detached" });
    expect(await only.isDisabled()).toBe(true);
  });

  it("explains that an unverified provider email cannot join an existing account", async () => {
    const username = `owner_${tag()}`;
    const owner = await newDevice();
    await registerInBrowser(owner, baseUrl, username);
    const intruder = await newDevice();
    await signInWith(intruder, "GitHub", {
      id: tag(),
      login: "intruder",
      email: `${username}@example.test`,
      verified: false,
    });
    const alert = intruder.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("GitHub has not verified that this address is yours");
    await intruder.getByRole("link", { name: "Back to sign in" }).waitFor();
  });

  it("says so when the person cancels at the provider", async () => {
    const page = await newDevice();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Signing in with GitHub was cancelled.");
  });
});
