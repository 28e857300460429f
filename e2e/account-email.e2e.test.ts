// Email verification and password reset in the browser, reading the mail from the development
// outbox page as a developer would.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, openMailedLink, registerInBrowser, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("email in the browser", () => {
  it("a new account sees the verify banner, asks for a new link, verifies from the outbox, and the banner goes", async () => {
    // axe-core is injected as an inline script: the page bypasses the CSP for it (as the other a11y checks do).
    const page = await browser.newPage({ bypassCSP: true });
    const username = `mail_${Date.now().toString(36)}`;
    const email = `${username}@example.test`;
    await registerInBrowser(page, baseUrl, username, { verify: false });

    const banner = page.getByRole("region", { name: "Confirm your email address" });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`We sent a link to ${email}`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await banner.getByRole("button", { name: "Send a new link" }).click();
    await banner.getByText(`A new link is on its way to ${email}.`).waitFor();

    await banner.getByRole("link", { name: "Open the development outbox" }).click();
    await page.getByRole("heading", { name: "Development outbox" }).waitFor();
    const mails = page.getByRole("article", { name: "Confirm your email address" });
    await mails.nth(1).waitFor();
    expect(await mails.count()).toBe(2);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await openMailedLink(page, baseUrl, email, "Confirm your email address");
    await page.getByText("Your email address is confirmed.").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Continue to Veza" }).click();
    await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
    expect(await page.getByRole("region", { name: "Confirm your email address" }).count()).toBe(0);

    // The same link a second time is refused, with what to do about it.
    await openMailedLink(page, baseUrl, email, "Confirm your email address");
    await page
      .getByRole("alert")
      .getByText(/already used or it expired/)
      .waitFor();
    await page.close();
  });

  it("resets a forgotten password from the mailed link; the old password no longer works", async () => {
    const page = await browser.newPage({ bypassCSP: true });
    const username = `reset_${Date.now().toString(36)}`;
    const email = `${username}@example.test`;
    await registerInBrowser(page, baseUrl, username);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();

    await page.goto(`${baseUrl}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page
      .getByRole("status")
      .getByText(/If an account uses this address/)
      .waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The reset mail is made just after the answer: the outbox may need a moment.
    await expect
      .poll(async () => {
        const outbox = await fetch(`${baseUrl}/api/v1/dev/outbox?to=${encodeURIComponent(email)}`);
        return ((await outbox.json()) as { items: { subject: string }[] }).items.map((m) => m.subject);
      })
      .toContain("Reset your Veza password");
    await openMailedLink(page, baseUrl, email, "Reset your Veza password");
    await page.getByRole("heading", { name: "Set a new password" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill("a different new passphrase");
    await page.getByLabel("New password again").fill("not the same at all");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.getByRole("alert").getByText("The two passwords are not the same.").waitFor();
    await page.getByLabel("New password again").fill("a different new passphrase");
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page
      .getByRole("status")
      .getByText(/Your password is changed/)
      .waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("Email or username").fill(username);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("Incorrect login or password.").waitFor();
    await page.getByLabel("Password").fill("a different new passphrase");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
    await page.close();
  });

  it("changes the address from Settings → Email once the new address confirms it", async () => {
    const page = await browser.newPage({ bypassCSP: true });
    const username = `move_${Date.now().toString(36)}`;
    const newEmail = `moved_${username}@example.test`;
    await registerInBrowser(page, baseUrl, username);
    await page.goto(`${baseUrl}/settings`);
    await page.getByRole("link", { name: "Email address" }).click();
    await page.getByRole("heading", { name: "Email address" }).waitFor();
    await page.getByLabel("New email address").fill(newEmail);
    await page.getByLabel("Current password").fill("a long enough password");
    await page.getByRole("button", { name: "Send a confirmation link" }).click();
    await page.getByRole("status").getByText(`Check ${newEmail}`).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await openMailedLink(page, baseUrl, newEmail, "Confirm your new email address");
    await page.getByText("Your email address is confirmed.").waitFor();
    await page.goto(`${baseUrl}/settings/email`);
    await page.getByText(newEmail).waitFor();
    await page.close();
  });
});
