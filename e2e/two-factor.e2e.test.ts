import { Secret, TOTP } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, registerInBrowser, screenshot, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
const PASSWORD = "a long enough password";
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** bypassCSP: axe-core is injected as an inline script, which the app's CSP (rightly) refuses. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, locale: "en-US" });
  return context.newPage();
}

function codeFor(secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("link", { name: "Sign in" }).waitFor();
}

async function passwordStep(page: Page, origin: string, username: string) {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Email or username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

describe("two-step sign-in in the browser", () => {
  it("sets up an authenticator app from the settings, then signs in with its code and with a recovery code", async () => {
    const page = await newPage();
    const username = `mfa_${Date.now().toString(36)}`;
    await registerInBrowser(page, baseUrl, username);

    await page.goto(`${baseUrl}/settings/security`);
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    await page.getByRole("img", { name: /QR code for your authenticator app/ }).waitFor();
    const secret = (await page.getByRole("textbox", { name: "Setup key" }).inputValue()).replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, "security-totp-setup");
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByLabel("6-digit code from the app").fill(codeFor(secret));
    await page.getByRole("button", { name: "Turn on" }).click();
    const codes = page.getByRole("list", { name: "Your recovery codes" }).getByRole("listitem");
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await screenshot(page, "security-recovery-codes");
    const recoveryCode = (await codes.nth(2).textContent()) ?? "";
    // The codes' heading takes focus so a screen reader announces them.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Your recovery codes");
    await page.getByRole("button", { name: "I have saved them" }).click();
    await page.getByText("On: signing in asks for a code after your password.").waitFor();
    await signOut(page);

    // The password alone no longer signs in: the second step asks for the app's code.
    await passwordStep(page, baseUrl, username);
    await page.getByRole("heading", { name: "Two-step sign-in" }).waitFor();
    await screenshot(page, "login-second-step");
    expect(await seriousA11yViolations(page)).toEqual([]);
    const codeField = page.getByLabel("Code from the app");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("autocomplete"))).toBe("one-time-code");
    await codeField.fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("not correct");
    // The code that turned it on was used already: the next one signs in.
    await codeField.fill(codeFor(secret, 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
    await signOut(page);

    await passwordStep(page, baseUrl, username);
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(recoveryCode);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
    await page.goto(`${baseUrl}/settings/security`);
    await page.getByText("9 recovery codes left.").waitFor();
    await page.context().close();
  });
});

describe("passkeys in the browser", () => {
  it("adds a passkey from the settings and signs in with it, no password", async () => {
    // Passkeys need a host name (not an IP address) as their RP ID: the stack allows localhost.
    const origin = baseUrl.replace("127.0.0.1", "localhost");
    const page = await newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const username = `pk_${Date.now().toString(36)}`;
    await registerInBrowser(page, origin, username);

    await page.goto(`${origin}/settings/security`);
    await page.getByLabel("Name (which device)").fill("Test laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByLabel("Your current password").fill(PASSWORD);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("Passkey Test laptop added.").waitFor();
    await page.getByRole("button", { name: "Remove Test laptop" }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await signOut(page);

    await page.goto(`${origin}/login`);
    await page.getByRole("button", { name: "Continue with a passkey" }).click();
    await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
    await page.context().close();
  });
});
