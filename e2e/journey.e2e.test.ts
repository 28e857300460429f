// The listener's and artist's journey in a real browser against the real local stack:
// sign up → upload several → play, seek, queue, reload and resume → search → settings → sign out,
// with axe-core on every page and screenshots for a human to look at.
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { launchBrowser, registerInBrowser, screenshot, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
let files: string[];
const username = `artist_${Date.now().toString(36)}`;

const currentTime = (p: Page) => p.evaluate(() => document.querySelector("audio")?.currentTime ?? 0);
const waitForAudioPast = (p: Page, seconds: number) =>
  p.waitForFunction((s) => (document.querySelector("audio")?.currentTime ?? 0) > s, seconds, { timeout: 20_000 });

async function expectAccessible(name: string) {
  await page.waitForLoadState("networkidle").catch(() => {});
  const violations = await seriousA11yViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  await screenshot(page, `desktop-${name}`);
}

beforeAll(async () => {
  browser = await launchBrowser();
  // bypassCSP: axe-core is injected as a script tag; the app itself runs under its real headers.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, locale: "en-US" });
  page = await context.newPage();
  const dir = scratchDir("veza-e2e-journey-");
  const sine = (name: string, title: string, hz: number, codec: string[]) =>
    generate(dir, name, [
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=${hz}:duration=30`,
      "-metadata",
      `title=${title}`,
      ...codec,
    ]);
  await sine("morning.mp3", "Morning Sine", 330, ["-c:a", "libmp3lame", "-b:a", "96k"]);
  await sine("evening.flac", "Evening Tone", 220, ["-c:a", "flac"]);
  files = [join(dir, "morning.mp3"), join(dir, "evening.flac")];
});
afterAll(async () => {
  await browser?.close();
});

describe("the journey", () => {
  it("signs up with the session restored before pages fetch, and no console errors", async () => {
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(baseUrl);
    await page.getByRole("heading", { name: "Music from independent artists" }).waitFor();
    await expectAccessible("home-signed-out");
    // A signed-out load does not ask for a refresh that is bound to fail.
    expect(errors).toEqual([]);
    await registerInBrowser(page, baseUrl, username);
    await expectAccessible("home-signed-in");
  });

  it("uploads several files at once, each with its own progress, and sees them ready", async () => {
    await page.getByRole("link", { name: "Upload" }).first().click();
    await page.getByRole("heading", { name: "Upload a track" }).waitFor();
    await page.getByTestId("upload-input").setInputFiles(files);
    expect(await page.getByTestId("upload-row").count()).toBe(2);
    const rows = page.getByTestId("upload-row");
    await rows.getByRole("link", { name: "Morning Sine" }).waitFor({ timeout: 60_000 });
    await rows.getByRole("link", { name: "Evening Tone" }).waitFor({ timeout: 60_000 });
    await expectAccessible("upload-done");
  });

  it("plays from a list; Play becomes Pause; the tab title and Media Session show the track", async () => {
    await page.goto(`${baseUrl}/u/${username}`);
    await page.getByRole("heading", { name: username }).waitFor();
    await expectAccessible("profile");
    const list = page.getByRole("list", { name: `Tracks by ${username}` });
    await list.getByRole("button", { name: /^Play Evening Tone/ }).click();
    await page.getByTestId("now-playing").getByText("Evening Tone").waitFor();
    await waitForAudioPast(page, 0.5);
    await list.getByRole("button", { name: /^Pause Evening Tone/ }).waitFor();
    expect(await page.title()).toBe(`▶ Evening Tone · ${username}`);
    const session = await page.evaluate(() => ({
      title: navigator.mediaSession.metadata?.title,
      state: navigator.mediaSession.playbackState,
    }));
    expect(session).toEqual({ title: "Evening Tone", state: "playing" });
    await screenshot(page, "desktop-playing");
  });

  it("seeks by clicking the waveform and by keys on it", async () => {
    await page.getByRole("link", { name: "Evening Tone" }).first().click();
    await page.getByRole("heading", { name: "Evening Tone" }).waitFor();
    const waveform = page.getByTestId("waveform");
    await waveform.waitFor();
    const box = await waveform.boundingBox();
    if (!box) throw new Error("no waveform box");
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 8, undefined, {
      timeout: 10_000,
    });
    await waveform.focus();
    await page.keyboard.press("Home");
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 99) < 3, undefined, {
      timeout: 10_000,
    });
    await expectAccessible("track");
  });

  it("posts a comment at the playing moment, and shows it on the waveform and when playback reaches it", async () => {
    await page.getByLabel("Write a comment").fill("Here it turns");
    await page.getByRole("checkbox", { name: /^Post at / }).check();
    await page.getByRole("button", { name: "Post", exact: true }).click();
    const comment = page.getByRole("listitem").filter({ hasText: "Here it turns" });
    await comment.getByText(/^at \d+:\d\d/).waitFor();
    await page.evaluate(() => {
      const audio = document.querySelector("audio");
      if (audio) audio.currentTime = Math.max(0, audio.currentTime - 3);
    });
    await page.locator("[aria-live=polite]").getByText("Here it turns").waitFor({ timeout: 10_000 });
  });

  it("opens the keyboard shortcut help with ?, and Space pauses", async () => {
    await page.locator("body").press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    await help.getByText("Play or pause").waitFor();
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });
    await page.locator("body").press("k");
    await page.waitForFunction(() => document.querySelector("audio")?.paused === true);
    await page.locator("body").press("k");
    await page.waitForFunction(() => document.querySelector("audio")?.paused === false);
  });

  it("edits the queue in the full player: add, reorder with keys, remove", async () => {
    await page.goto(`${baseUrl}/u/${username}`);
    const list = page.getByRole("list", { name: `Tracks by ${username}` });
    await list.getByRole("button", { name: "More actions for Morning Sine" }).click();
    await page.getByRole("menuitem", { name: "Add to queue" }).click();
    await list.getByRole("button", { name: "More actions for Evening Tone" }).click();
    await page.getByRole("menuitem", { name: "Play next" }).click();
    await page.getByRole("button", { name: "Open the player" }).click();
    const queue = page.getByTestId("queue");
    await queue.waitFor();
    const titles = () => queue.locator("li p:first-child").allTextContents();
    expect((await titles()).slice(0, 1)).toEqual(["Evening Tone"]);
    const before = await titles();
    await page.getByRole("button", { name: "Move Evening Tone down" }).first().click();
    expect((await titles())[1]).toBe("Evening Tone");
    expect((await titles()).length).toBe(before.length);
    await page.getByRole("button", { name: "Remove Evening Tone from the queue" }).first().click();
    expect((await titles()).length).toBe(before.length - 1);
    await screenshot(page, "desktop-queue");
    await page.keyboard.press("Escape");
  });

  it("comes back after a reload paused where it was, and resumes from there", async () => {
    await page.goto(`${baseUrl}/u/${username}`);
    await page
      .getByRole("list", { name: `Tracks by ${username}` })
      .getByRole("button", { name: /^Play Morning Sine/ })
      .click();
    await waitForAudioPast(page, 0.3);
    await page.evaluate(() => {
      const audio = document.querySelector("audio");
      if (audio) audio.currentTime = 6;
    });
    await waitForAudioPast(page, 6.2);
    await page.reload();
    await page.getByTestId("now-playing").waitFor();
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 5, undefined, {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => document.querySelector("audio")?.paused)).toBe(true);
    await page.getByRole("region", { name: "Player" }).getByRole("button", { name: "Play", exact: true }).click();
    await waitForAudioPast(page, (await currentTime(page)) + 0.5);
    expect(await currentTime(page)).toBeGreaterThan(5);
  });

  it("creates a playlist, adds tracks from row menus, reorders it, and finds it in search", async () => {
    await page.getByRole("link", { name: "Library" }).first().click();
    await page.getByRole("heading", { name: "Library" }).waitFor();
    await expectAccessible("library");
    await page.getByLabel("New playlist name").fill("Road Trip");
    await page.getByRole("button", { name: "Create playlist" }).click();
    await page.getByRole("heading", { name: "Road Trip" }).waitFor();
    const playlistUrl = page.url();

    await page.goto(`${baseUrl}/u/${username}`);
    const list = page.getByRole("list", { name: `Tracks by ${username}` });
    for (const title of ["Morning Sine", "Evening Tone"]) {
      await list.getByRole("button", { name: `More actions for ${title}` }).click();
      await page.getByRole("menuitem", { name: "Add to playlist" }).click();
      await page.getByRole("menuitem", { name: "Road Trip" }).click();
      await page.getByText("Added to Road Trip").waitFor({ state: "attached" });
    }

    await page.goto(playlistUrl);
    const rows = page.getByTestId("playlist-tracks").locator("li a");
    await rows.first().waitFor();
    expect(await rows.allTextContents()).toEqual(["Morning Sine", "Evening Tone"]);
    await page.getByRole("button", { name: "Move Evening Tone up" }).click();
    await page.waitForFunction(
      () => document.querySelector("[data-testid=playlist-tracks] li a")?.textContent === "Evening Tone",
    );
    await page.reload();
    await rows.first().waitFor();
    expect(await rows.allTextContents()).toEqual(["Evening Tone", "Morning Sine"]);
    await expectAccessible("playlist");

    await page.goto(`${baseUrl}/search?q=Road&type=playlists`);
    await page.getByRole("link", { name: "Road Trip" }).click();
    await page.getByRole("heading", { name: "Road Trip" }).waitFor();
  });

  it("searches, and switches the app to French with plurals right", async () => {
    await page.getByRole("link", { name: "Search" }).first().click();
    await page.getByRole("searchbox").fill("Even");
    await page.getByRole("list", { name: "Search results" }).getByText("Evening Tone").waitFor();
    await expectAccessible("search");
    await page.goto(`${baseUrl}/settings`);
    await page.getByLabel("Language").selectOption("fr");
    await page.getByRole("heading", { name: "Réglages" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    await page.goto(`${baseUrl}/u/${username}`);
    await page.getByText("0 abonné ·").waitFor();
    await page.getByText("2 morceaux").first().waitFor();
    await page.goto(`${baseUrl}/settings`);
    await page.getByLabel("Langue").selectOption("en");
    await expectAccessible("settings");
  });

  it("edits a track's details and visibility, and deletes one, from the artist's list", async () => {
    await page.goto(`${baseUrl}/upload`);
    const mine = page.getByTestId("my-tracks");
    await mine.waitFor();
    await mine.getByRole("listitem").filter({ hasText: "Morning Sine" }).getByRole("button", { name: "Edit" }).click();
    const editor = page.getByRole("dialog", { name: "Edit “Morning Sine”" });
    await editor.getByLabel("Genre").fill("Ambient");
    await editor.getByLabel("Who can listen").selectOption("unlisted");
    await expectAccessible("track-editor");
    await editor.getByRole("button", { name: "Save" }).click();
    await editor.waitFor({ state: "hidden" });
    await mine.getByRole("listitem").filter({ hasText: "Morning Sine" }).getByText("Unlisted").waitFor();

    page.once("dialog", (dialog) => void dialog.accept());
    await mine.getByRole("listitem").filter({ hasText: "Evening Tone" }).getByRole("button", { name: "Edit" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete track" }).click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    await mine.getByRole("listitem").filter({ hasText: "Evening Tone" }).waitFor({ state: "detached" });
    expect(await mine.getByRole("listitem").count()).toBe(1);
  });

  it("signing out stops the music and clears the player", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    expect(await page.getByTestId("player").count()).toBe(0);
    expect(await page.evaluate(() => document.querySelector("audio")?.paused ?? true)).toBe(true);
    const saved = await page.evaluate(
      () => JSON.parse(localStorage.getItem("veza:player") ?? "{}").state?.current ?? null,
    );
    expect(saved).toBeNull();
  });
});
