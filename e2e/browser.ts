import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--autoplay-policy=no-user-gesture-required",
    ],
  });
}

/**
 * Creates an account through the sign-up form and waits until the app shows the user signed in.
 * Then, unless `verify` is false, confirms the address as a person would: opens the mailed link
 * from the development outbox page (uploads, comments and chat need it) and returns home.
 */
export async function registerInBrowser(
  page: Page,
  baseUrl: string,
  username: string,
  { verify = true }: { verify?: boolean } = {},
): Promise<void> {
  const email = `${username}@example.test`;
  await page.goto(`${baseUrl}/register`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create your account" }).click();
  await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
  if (!verify) return;
  await openMailedLink(page, baseUrl, email, "Confirm your email address");
  await page.getByText("Your email address is confirmed.").waitFor();
  await page.goto(baseUrl);
  await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
}

/** Opens the link of the newest mail to `email` with this subject, from the development outbox page. */
export async function openMailedLink(page: Page, baseUrl: string, email: string, subject: string): Promise<void> {
  await page.goto(`${baseUrl}/dev/outbox?to=${encodeURIComponent(email)}`);
  const mail = page.getByRole("article", { name: subject }).first();
  await mail.waitFor();
  await mail.getByRole("link").first().click();
}

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Runs axe-core (WCAG 2.x A/AA rules) on the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");

/** Saves a full-page screenshot under e2e/screenshots/ (ignored by git) for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The page is no wider than its viewport (nothing sticks out sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
