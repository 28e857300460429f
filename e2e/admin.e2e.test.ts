// The operators' page in a real browser against the real local stack: an admin signs in and sees
// the overview (tracks by status, dead-letter counts, parties), retries a failed transcode with
// its button (the track then goes through the transcoder again and becomes ready), with no serious
// or critical axe-core violation; a signed-in listener is refused, on the page and by the API.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { launchBrowser, registerInBrowser, screenshot, seriousA11yViolations } from "./browser.ts";
import { runWrangler } from "./local-processes.ts";

const baseUrl = inject("baseUrl");
const stateDir = inject("stateDir");
const tag = Date.now().toString(36);
const title = `Retry Tone ${tag}`;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let artist: ApiClient;
let admin: ApiClient;
let adminUser: { id: string; username: string };
let trackId: string;

/** Set-up the API has no way to do (it would need an admin, or a transcoder that fails on demand). */
function sql(command: string) {
  return runWrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--command", command]);
}

beforeAll(async () => {
  artist = new ApiClient(baseUrl);
  await artist.register("ops_artist");
  const dir = scratchDir("veza-e2e-admin-");
  await generate(dir, "tone.mp3", ["-f", "lavfi", "-i", "sine=frequency=392:duration=5", "-c:a", "libmp3lame"]);
  const track = await artist.upload(readFileSync(join(dir, "tone.mp3")), "tone.mp3", "audio/mpeg", title);
  trackId = track.id;
  await artist.waitForStatus(trackId, ["ready"]);

  admin = new ApiClient(baseUrl);
  adminUser = await admin.register("ops_admin");
  const now = Date.now();
  await sql(
    [
      `UPDATE users SET role = 'admin' WHERE id = '${adminUser.id}';`,
      // As the transcode consumer leaves a track after its last attempt.
      `UPDATE tracks SET status = 'failed', failure_reason = 'The transcoder could not be reached (e2e ${tag})' WHERE id = '${trackId}';`,
      "INSERT INTO dead_letters (id, queue, body, attempts, received_at) VALUES",
      ` ('e2e-${tag}-1', 'transcode-dlq', '{}', 5, ${now}), ('e2e-${tag}-2', 'transcode-dlq', '{}', 5, ${now}),`,
      ` ('e2e-${tag}-3', 'plays-dlq', '{}', 6, ${now});`,
    ].join("\n"),
  );

  browser = await launchBrowser();
  // bypassCSP: axe-core is injected as a script tag; the app itself runs under its real headers.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, locale: "en-US" });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe("the operators' page", () => {
  it("shows an admin the overview, dead-letter counts and parties, with no serious accessibility violation", async () => {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel("Email or username").fill(adminUser.username);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: `Welcome, ${adminUser.username}` }).waitFor();

    await page.goto(`${baseUrl}/admin`);
    await page.getByRole("heading", { name: "Operations" }).waitFor();
    const overview = await admin.json("GET", "/api/v1/admin/overview", undefined, 200);
    const deadLetters = new Map<string, number>(
      overview.deadLetters.map((d: { queue: string; count: number }) => [d.queue, d.count]),
    );
    expect(deadLetters.get("transcode-dlq")).toBeGreaterThanOrEqual(2);
    expect(deadLetters.get("plays-dlq")).toBeGreaterThanOrEqual(1);
    const section = page.getByRole("region", { name: "Overview" });
    await section.getByText(`transcode-dlq: ${deadLetters.get("transcode-dlq")}`).waitFor();
    await section.getByText(`plays-dlq: ${deadLetters.get("plays-dlq")}`).waitFor();
    await section.getByText(`Failed: ${overview.tracks.failed}`).waitFor();
    await section.getByText("Listening parties on now").waitFor();
    await page.getByText(`The transcoder could not be reached (e2e ${tag})`).waitFor();

    await page.waitForLoadState("networkidle").catch(() => {});
    const violations = await seriousA11yViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
    await screenshot(page, "admin");
  });

  it("retries a failed transcode from its button: queued again, then transcoded to ready", async () => {
    const retry = page.getByRole("button", { name: `Retry transcoding ${title}` });
    await retry.click();
    await page
      .getByRole("status")
      .filter({ hasText: `${title} is queued again.` })
      .waitFor();
    await retry.waitFor({ state: "detached" });
    const track = await artist.waitForStatus(trackId, ["ready", "failed"], 90_000);
    expect(track.status).toBe("ready");
    const audit = await admin.json("GET", `/api/v1/admin/audit?targetId=${trackId}`, undefined, 200);
    expect(audit.items[0]).toMatchObject({ action: "track.retry_transcode", actor: { id: adminUser.id } });
  });

  it("refuses a listener: the page says it is for admins, and the API answers 403", async () => {
    const listenerContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const listenerPage = await listenerContext.newPage();
    await registerInBrowser(listenerPage, baseUrl, `ops_listener_${tag}`);
    await listenerPage.goto(`${baseUrl}/admin`);
    await listenerPage.getByRole("alert").filter({ hasText: "This page is for admins." }).waitFor();
    expect(await listenerPage.getByRole("button", { name: /^Retry transcoding/ }).count()).toBe(0);
    await listenerContext.close();

    const listener = new ApiClient(baseUrl);
    await listener.register("ops_listener_api");
    const refused = await listener.request("GET", "/api/v1/admin/overview");
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
    expect((await listener.request("POST", `/api/v1/admin/tracks/${trackId}/retry`)).status).toBe(403);
  });
});
