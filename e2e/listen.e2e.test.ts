import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { launchBrowser, registerInBrowser } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;
let audioPath: string;

beforeAll(async () => {
  browser = await launchBrowser();
  const dir = scratchDir("veza-e2e-listen-");
  await generate(dir, "morning.mp3", [
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=330:duration=8",
    "-c:a",
    "libmp3lame",
    "-b:a",
    "96k",
  ]);
  audioPath = join(dir, "morning.mp3");
});
afterAll(async () => {
  await browser?.close();
});

describe("an artist uploads and a listener plays", () => {
  it("uploads with a progress bar, sees the track become ready live, and plays it", async () => {
    const page = await browser.newPage();
    const username = `artist_${Date.now().toString(36)}`;
    await registerInBrowser(page, baseUrl, username);

    await page.getByRole("link", { name: "Upload" }).click();
    await page.getByLabel(/Audio file/).setInputFiles(audioPath);
    await page.getByLabel(/Title/).fill("Morning Sine");
    await page.getByRole("button", { name: "Upload" }).click();
    const ready = page.getByRole("link", { name: "Morning Sine" });
    await ready.waitFor({ timeout: 45_000 });

    await ready.click();
    await page.getByRole("heading", { name: "Morning Sine" }).waitFor();
    await page.getByRole("button", { name: "Play", exact: true }).click();
    await page.getByTestId("now-playing").waitFor();
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 0.5, undefined, {
      timeout: 20_000,
    });
    const src = await page.evaluate(() => document.querySelector("audio")?.src ?? "");
    expect(src).toContain("/api/v1/media/");
    expect(await page.getByRole("slider", { name: "Seek" }).count()).toBe(1);
    await page.close();
  });

  it("refuses a file that is not audio with the server's reason", async () => {
    const page = await browser.newPage();
    const username = `faker_${Date.now().toString(36)}`;
    await registerInBrowser(page, baseUrl, username);
    await page.goto(`${baseUrl}/upload`);
    await page.getByLabel(/Audio file/).setInputFiles({
      name: "song.mp3",
      mimeType: "audio/mpeg",
      buffer: Buffer.from("<html>definitely not audio</html>".repeat(100)),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect((await alert.textContent())?.toLowerCase()).toMatch(/audio|format|type/);
    await page.close();
  });
});
