// The pages the journey does not walk through, in a real browser against the real local stack:
// sign-in and sign-up forms, an album, the artists and genres indexes, a genre's tracks and the
// 404 page, each with no serious or critical axe-core violation on a phone-sized screen; and the
// static files: the favicon is an icon (not the app's HTML) and hashed assets are cached forever.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { launchBrowser, screenshot, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;
let page: Page;
const genre = `Dronewave${Date.now().toString(36)}`;
let artist: { id: string; username: string };
let albumId: string;

async function expectAccessible(name: string) {
  await page.waitForLoadState("networkidle").catch(() => {});
  const violations = await seriousA11yViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  await screenshot(page, `phone-${name}`);
}

beforeAll(async () => {
  const client = new ApiClient(baseUrl);
  artist = await client.register("browse_artist");
  const dir = scratchDir("veza-e2e-browse-");
  await generate(dir, "tone.mp3", ["-f", "lavfi", "-i", "sine=frequency=523:duration=6", "-c:a", "libmp3lame"]);
  const track = await client.upload(readFileSync(join(dir, "tone.mp3")), "tone.mp3", "audio/mpeg", "Browse Tone");
  await client.waitForStatus(track.id, ["ready"]);
  await client.json("PATCH", `/api/v1/tracks/${track.id}`, { genre }, 200);
  const album = await client.json("POST", "/api/v1/albums", { title: "Browse Album", trackIds: [track.id] }, 201);
  albumId = album.id;
  browser = await launchBrowser();
  // bypassCSP: axe-core is injected as a script tag; the app itself runs under its real headers.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true, locale: "en-US" });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe("pages outside the journey", () => {
  it("sign-in and sign-up forms are accessible", async () => {
    await page.goto(`${baseUrl}/login`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await expectAccessible("login");
    await page.goto(`${baseUrl}/register`);
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    await expectAccessible("register");
  });

  it("an album page lists its tracks and is accessible", async () => {
    await page.goto(`${baseUrl}/albums/${albumId}`);
    await page.getByRole("heading", { name: "Browse Album" }).waitFor();
    await page.getByText("Browse Tone").first().waitFor();
    await expectAccessible("album");
  });

  it("the artists index leads to an artist, and genres lead to a genre's tracks", async () => {
    await page.goto(`${baseUrl}/artists`);
    await page.getByRole("heading", { name: "Artists" }).waitFor();
    await page.getByRole("link", { name: new RegExp(artist.username) }).waitFor();
    await expectAccessible("artists");
    await page.goto(`${baseUrl}/genres`);
    await page.getByRole("heading", { name: "Genres" }).waitFor();
    await expectAccessible("genres");
    await page.getByRole("link", { name: new RegExp(genre) }).click();
    await page.getByRole("heading", { name: genre }).waitFor();
    await page
      .getByRole("list", { name: `${genre} tracks` })
      .getByText("Browse Tone")
      .waitFor();
    await expectAccessible("genre");
  });

  it("an unknown address shows the 404 page, accessible", async () => {
    await page.goto(`${baseUrl}/no/such/page`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await expectAccessible("not-found");
  });
});

describe("static files", () => {
  it("serves the favicon as an icon, not the app's HTML", async () => {
    const response = await fetch(`${baseUrl}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type") ?? "").not.toContain("text/html");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]); // the ICO header
  });

  it("caches hashed assets as immutable, and the HTML not", async () => {
    const html = await (await fetch(baseUrl)).text();
    const asset = html.match(/\/assets\/[^"]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const response = await fetch(`${baseUrl}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(baseUrl)).headers.get("cache-control") ?? "").not.toContain("immutable");
  });
});
