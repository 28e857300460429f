// Profile and artist tools in the browser: an avatar chosen with a preview, wrong files refused
// with a clear message, the upload's progress, and the new avatar shown in the app; an album
// created from the track editor with its cover, listed for the artist; the track page's loudness
// and the player's normalisation from it; an admin's reason for deleting a message in a room they
// do not moderate.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { launchBrowser, registerInBrowser, screenshot, seriousA11yViolations } from "./browser.ts";
import { runWrangler } from "./local-processes.ts";

const baseUrl = inject("baseUrl");
const stateDir = inject("stateDir");
const PASSWORD = "a long enough password";
let browser: Browser;
let page: Page;
let api: ApiClient;
let artist: { id: string; username: string };
let track: { id: string; gainDb: number; loudnessLufs: number };
let dir: string;

async function signIn(target: Page, username: string) {
  await target.goto(`${baseUrl}/login`);
  await target.getByLabel("Email or username").fill(username);
  await target.getByLabel("Password").fill(PASSWORD);
  await target.getByRole("button", { name: "Sign in" }).click();
  await target.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
}

beforeAll(async () => {
  dir = scratchDir("veza-e2e-artist-");
  api = new ApiClient(baseUrl);
  artist = await api.register("artist");
  // lavfi's sine is at -18 dBFS; raised near full scale it is far louder than -14 LUFS, so
  // normalisation turns it down.
  const loud = await generate(dir, "loud.mp3", [
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=330:duration=20",
    "-af",
    "volume=17dB",
    "-c:a",
    "libmp3lame",
  ]);
  const uploaded = await api.upload(loud, "loud.mp3", "audio/mpeg", "Loud Tone");
  track = await api.waitForStatus(uploaded.id, ["ready"]);
  // 400×400 of noise: a PNG of a few hundred KB, so the upload takes long enough to show progress.
  await generate(dir, "face.png", [
    "-f",
    "lavfi",
    "-i",
    "nullsrc=s=400x400,geq=random(1)*255:128:128",
    "-frames:v",
    "1",
  ]);
  await generate(dir, "cover.png", ["-f", "lavfi", "-i", "color=c=orange:s=300x300", "-frames:v", "1"]);
  browser = await launchBrowser();
  page = await (await browser.newContext({ bypassCSP: true, locale: "en-US" })).newPage();
  await signIn(page, artist.username);
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

describe("profile photo", () => {
  it("refuses wrong files clearly, previews a good one, shows progress, and shows it everywhere", async () => {
    await page.goto(`${baseUrl}/settings`);
    await page.getByRole("link", { name: "Profile: photo, name and bio" }).click();
    await page.getByRole("heading", { name: "Your profile", level: 1 }).waitFor();
    const input = page.getByLabel("Choose a photo");
    const save = page.getByRole("button", { name: "Save photo" });
    expect(await save.isDisabled()).toBe(true);

    await input.setInputFiles({ name: "anim.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a....") });
    await page.getByRole("alert").getByText("anim.gif is not a JPEG, PNG or WebP image.").waitFor();
    expect(await save.isDisabled()).toBe(true);
    await input.setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(6 * 1024 * 1024) });
    await page.getByRole("alert").getByText("This image is 6.3 MB; the limit is 5.2 MB.").waitFor();
    expect(await save.isDisabled()).toBe(true);
    // Named like a PNG but not one: the server reads the bytes and refuses (415); the app says why.
    await input.setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
    await save.click();
    await page.getByRole("alert").getByText("Send a JPEG, PNG or WebP image.").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    await input.setInputFiles(join(dir, "face.png"));
    const preview = page.getByRole("img", { name: "Preview of the chosen image" });
    await preview.waitFor();
    expect(await preview.getAttribute("src")).toMatch(/^blob:/);
    // A slow uplink, so the progress bar is there to be seen.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 50,
      downloadThroughput: 1_000_000,
      uploadThroughput: 150_000,
    });
    await save.click();
    const progress = page.getByRole("progressbar", { name: "Photo upload progress" });
    await progress.waitFor();
    await screenshot(page, "desktop-avatar-uploading");
    await page.getByRole("status").getByText("Photo saved.").waitFor({ timeout: 30_000 });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    const avatarLoaded = (img: string) =>
      page.waitForFunction(
        (selector) => {
          const element = document.querySelector<HTMLImageElement>(selector);
          return !!element && element.complete && element.naturalWidth === 400;
        },
        img,
        { timeout: 15_000 },
      );
    // The top bar has it at once (no reload), from the server.
    await avatarLoaded(`header a[href="/u/${artist.username}"] img[src*="/api/v1/users/${artist.id}/avatar"]`);
    await screenshot(page, "desktop-avatar-saved");
    await page.goto(`${baseUrl}/u/${artist.username}`);
    await avatarLoaded(`main img[src*="/api/v1/users/${artist.id}/avatar"]`);
    // …and in a search for people, after a reload.
    await page.goto(`${baseUrl}/search?q=${artist.username}&type=users`);
    await avatarLoaded(`main img[src*="/api/v1/users/${artist.id}/avatar"]`);
  });
});

describe("albums from the track editor", () => {
  it("creates an album with a cover and the track on it, listed for the artist", async () => {
    await page.goto(`${baseUrl}/upload`);
    const mine = page.getByTestId("my-tracks");
    await mine.getByRole("button", { name: "Edit" }).first().click();
    const editor = page.getByRole("dialog", { name: "Edit “Loud Tone”" });
    await editor.getByRole("button", { name: "New album" }).click();
    await editor.getByLabel("Album title").fill("First Light");
    await editor.getByLabel("Album cover (optional)").setInputFiles(join(dir, "cover.png"));
    await editor.getByRole("img", { name: "Preview of the chosen image" }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await editor.getByRole("button", { name: "Create album with this track" }).click();
    await editor.getByRole("status").getByText("Album created, with this track on it.").waitFor();
    // The album select now shows the new album as the track's.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll("dialog select")].some(
          (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent === "First Light",
        ),
      undefined,
      { timeout: 15_000 },
    );
    await editor.getByRole("button", { name: "Close" }).click();

    const yours = page.getByRole("list", { name: "Your albums" });
    const card = yours.getByRole("link", { name: /First Light/ });
    await card.waitFor();
    expect(await card.textContent()).toContain("1 track");
    await screenshot(page, "desktop-your-albums");

    const albums = await api.json("GET", `/api/v1/albums?owner=${artist.username}`, undefined, 200);
    expect(albums.items.map((a: { title: string }) => a.title)).toEqual(["First Light"]);
    const album = await api.json("GET", `/api/v1/albums/${albums.items[0].id}`, undefined, 200);
    expect(album.tracks.map((t: { id: string }) => t.id)).toEqual([track.id]);
    expect(album.coverUrl).not.toBeNull();

    // The artist's page lists it with its cover; the album page has the track.
    await page.goto(`${baseUrl}/u/${artist.username}`);
    const onProfile = page.getByRole("list", { name: "Albums" }).getByRole("link", { name: /First Light/ });
    await onProfile.waitFor();
    await page.waitForFunction(
      () => {
        const img = document.querySelector<HTMLImageElement>('main a[href^="/albums/"] img');
        return !!img && img.complete && img.naturalWidth === 300;
      },
      undefined,
      { timeout: 15_000 },
    );
    await onProfile.click();
    await page.getByRole("heading", { name: "First Light" }).waitFor();
    await page.getByRole("button", { name: /^Play Loud Tone/ }).waitFor();
  });
});

describe("loudness", () => {
  it("the track page shows it, and the player turns a loud track down by its gain", async () => {
    expect(track.gainDb).toBeLessThan(-3);
    await page.goto(`${baseUrl}/tracks/${track.id}`);
    const lufs = page.getByTestId("loudness-lufs");
    await lufs.waitFor();
    expect(await lufs.textContent()).toBe(`${Math.round(track.loudnessLufs * 10) / 10} LUFS`);
    const gain = Math.round(track.gainDb * 10) / 10;
    expect(await page.getByTestId("loudness-gain").textContent()).toBe(`${gain} dB · played ${-gain} dB quieter`);
    await page.getByRole("main").getByRole("button", { name: "Play", exact: true }).click();
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 0.2);
    const volume = await page.evaluate(() => document.querySelector("audio")?.volume ?? -1);
    expect(volume).toBeCloseTo(10 ** (track.gainDb / 20), 2);
  });
});

describe("chat moderation by a site admin", () => {
  it("asks for a reason before deleting someone's message in a room the admin does not moderate", async () => {
    const owner = await browser.newContext({ bypassCSP: true, locale: "en-US" });
    const ownerPage = await owner.newPage();
    const ownerName = `roomy_${Date.now().toString(36)}`;
    await registerInBrowser(ownerPage, baseUrl, ownerName);
    const roomName = `Open Room ${Date.now().toString(36)}`;
    await ownerPage.goto(`${baseUrl}/chat`);
    await ownerPage.getByLabel("Room name").fill(roomName);
    await ownerPage.getByRole("button", { name: "Create room" }).click();
    await ownerPage.getByRole("heading", { name: roomName }).waitFor();
    await ownerPage.getByLabel("Message", { exact: true }).fill("buy cheap followers here");
    await ownerPage.keyboard.press("Enter");

    // An operator makes the artist an admin; the next sign-in carries the role.
    await runWrangler([
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      stateDir,
      "--command",
      `UPDATE users SET role = 'admin' WHERE username = '${artist.username}'`,
    ]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    await signIn(page, artist.username);
    await page.goto(`${baseUrl}/chat`);
    await page.getByRole("link", { name: roomName }).click();
    await page.getByRole("heading", { name: roomName }).waitFor();
    const message = page.getByRole("article").filter({ hasText: "buy cheap followers here" });
    await message.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete as an admin" });
    await dialog.waitFor();
    const confirm = dialog.getByRole("button", { name: "Delete message" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Reason").fill("Spam: selling followers");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "desktop-chat-admin-reason");
    await confirm.click();
    await dialog.waitFor({ state: "hidden" });
    for (const viewer of [page, ownerPage]) {
      await viewer.getByText("This message was deleted.").waitFor({ timeout: 15_000 });
    }
    expect(await page.getByText(/reason/i).count()).toBe(0);
    await owner.close();
  });
});
