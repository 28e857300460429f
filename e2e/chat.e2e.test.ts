import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { launchBrowser, registerInBrowser, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function person(prefix: string): Promise<{ page: Page; username: string }> {
  // bypassCSP: axe-core is injected as an inline script, which the app's CSP (rightly) refuses;
  // e2e/security-headers.e2e.test.ts runs the app under its real policy.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const username = `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  await registerInBrowser(page, baseUrl, username);
  return { page, username };
}

const messageList = (page: Page) => page.getByRole("list", { name: "Messages" });

async function say(page: Page, text: string) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.keyboard.press("Enter");
}

/** Waits until `text` is in the room, then checks it is there exactly once. */
async function seesOnce(page: Page, text: string) {
  const matches = messageList(page).getByText(text, { exact: true });
  await matches.first().waitFor({ timeout: 15_000 });
  expect(await matches.count()).toBe(1);
}

describe("two people chat", () => {
  it("in a room and a DM; a reload mid-conversation shows every message once", async () => {
    const alice = await person("alice");
    const bob = await person("bob");
    const roomName = `Lobby ${Date.now().toString(36)}`;

    await alice.page.getByRole("link", { name: "Chat" }).click();
    await alice.page.getByLabel("Room name").fill(roomName);
    await alice.page.getByRole("button", { name: "Create room" }).click();
    await alice.page.getByRole("heading", { name: roomName }).waitFor();
    await alice.page.getByText(/1 online/).waitFor();

    await bob.page.goto(`${baseUrl}/chat`);
    await bob.page.getByRole("link", { name: roomName }).click();
    await bob.page.getByRole("heading", { name: roomName }).waitFor();
    await alice.page.getByText(/2 online/).waitFor();

    await say(alice.page, "hello bob");
    await seesOnce(bob.page, "hello bob");
    await say(bob.page, "hi alice");
    await seesOnce(alice.page, "hi alice");

    // Bob reloads while Alice keeps talking.
    const reloading = bob.page.reload();
    await say(alice.page, "did you get this?");
    await say(alice.page, "and this?");
    await reloading;
    await bob.page.getByRole("heading", { name: roomName }).waitFor();
    for (const text of ["hello bob", "hi alice", "did you get this?", "and this?"]) await seesOnce(bob.page, text);
    await say(bob.page, "got both");
    for (const page of [alice.page, bob.page]) {
      for (const text of ["hello bob", "hi alice", "did you get this?", "and this?", "got both"])
        await seesOnce(page, text);
    }

    expect(await seriousA11yViolations(bob.page)).toEqual([]);

    // A direct message from Bob's side, answered from Alice's.
    await bob.page.goto(`${baseUrl}/u/${alice.username}`);
    await bob.page.getByRole("button", { name: /Send a message to/ }).click();
    await bob.page.getByRole("heading", { name: /Direct message with/ }).waitFor();
    await say(bob.page, "just between us");
    await alice.page.goto(`${baseUrl}/chat`);
    await alice.page.getByRole("link", { name: new RegExp(bob.username, "i") }).click();
    await seesOnce(alice.page, "just between us");
    await say(alice.page, "sure");
    await seesOnce(bob.page, "sure");
    await alice.page.goto(`${baseUrl}/chat`);
    await alice.page.getByRole("heading", { name: "Chat" }).waitFor();
    expect(await seriousA11yViolations(alice.page)).toEqual([]);
  });
});

describe("sharing a track to a room", () => {
  it("from the track's menu; the other person sees a playable card and plays it", async () => {
    const alice = await person("alice");
    const bob = await person("bob");
    const roomName = `Listening ${Date.now().toString(36)}`;
    const title = `Shared Sine ${Date.now().toString(36)}`;

    await alice.page.goto(`${baseUrl}/chat`);
    await alice.page.getByLabel("Room name").fill(roomName);
    await alice.page.getByRole("button", { name: "Create room" }).click();
    await alice.page.getByRole("heading", { name: roomName }).waitFor();
    await bob.page.goto(`${baseUrl}/chat`);
    await bob.page.getByRole("link", { name: roomName }).click();
    await bob.page.getByRole("heading", { name: roomName }).waitFor();

    const dir = scratchDir("veza-e2e-share-");
    await generate(dir, "shared.mp3", [
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:duration=20",
      "-metadata",
      `title=${title}`,
      "-c:a",
      "libmp3lame",
    ]);
    await alice.page.goto(`${baseUrl}/upload`);
    await alice.page.getByTestId("upload-input").setInputFiles([join(dir, "shared.mp3")]);
    await alice.page.getByTestId("upload-row").getByRole("link", { name: title }).click({ timeout: 60_000 });
    await alice.page.getByRole("heading", { name: title }).waitFor();

    await alice.page
      .getByRole("button", { name: `More actions for ${title}` })
      .first()
      .click();
    await alice.page.getByRole("menuitem", { name: "Share to room…" }).click();
    const dialog = alice.page.getByRole("dialog", { name: `Share “${title}” to a room` });
    await dialog.getByRole("button", { name: `Share to ${roomName}` }).click();
    await dialog.getByRole("status").getByText(`Shared to ${roomName}.`).waitFor({ timeout: 15_000 });
    expect(await seriousA11yViolations(alice.page)).toEqual([]);
    await alice.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });

    const play = messageList(bob.page).getByRole("button", { name: `Play ${title}` });
    await play.waitFor({ timeout: 15_000 });
    expect(await play.count()).toBe(1);
    await play.click();
    await bob.page.getByTestId("now-playing").getByText(title).waitFor();
    await bob.page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 0.5, undefined, {
      timeout: 20_000,
    });
  });
});
