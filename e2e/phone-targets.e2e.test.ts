// Every page on a 360 px touch phone, signed in with real data on it (tracks, comments, a playlist,
// an album, a chat room): nothing sticks out sideways, and every control a finger presses is at
// least 44 × 44 px (links inside a sentence excepted, as WCAG 2.2's target-size rule does). A
// finger dragged along the waveform seeks.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { horizontalOverflow, launchBrowser, screenshot } from "./browser.ts";

const baseUrl = inject("baseUrl");
const PHONE = { width: 360, height: 740 };
let browser: Browser;
let page: Page;
let username: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const api = new ApiClient(baseUrl);
  username = (await api.register("finger")).username;
  const dir = scratchDir("veza-e2e-targets-");
  const audio = await generate(dir, "t.mp3", [
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=500:duration=30",
    "-c:a",
    "libmp3lame",
  ]);
  const track = await api.upload(audio, "t.mp3", "audio/mpeg", "Finger Song With A Fairly Long Title");
  ids.track = track.id;
  await api.waitForStatus(track.id, ["ready"]);
  await api.json("PATCH", `/api/v1/tracks/${track.id}`, { genre: "Ambient" }, 200);
  await api.json("POST", `/api/v1/tracks/${track.id}/comments`, { body: "Lovely moment", atMs: 4000 }, 201);
  ids.playlist = (await api.json("POST", "/api/v1/playlists", { title: "Pocket List" }, 201)).id;
  await api.json("POST", `/api/v1/playlists/${ids.playlist}/tracks`, { trackId: track.id }, 201);
  ids.album = (await api.json("POST", "/api/v1/albums", { title: "Pocket Album", trackIds: [track.id] }, 201)).id;
  ids.room = (await api.json("POST", "/api/v1/rooms", { name: "Pocket Room", kind: "public" }, 201)).id;

  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    bypassCSP: true,
    locale: "en-US",
  });
  page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email or username").fill(username);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

type Small = { what: string; width: number; height: number };

/**
 * Visible controls smaller than 44 × 44 px, except links that sit inside a sentence. A control's
 * target is what a finger can press to use it: a checkbox's label, a slider thumb's whole track,
 * a link stretched over its block (an absolute ::after).
 */
function smallTargets(target: Page): Promise<Small[]> {
  return target.evaluate(() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [role=slider], [tabindex="0"]';
    // A link among other words of a paragraph (not a flex row of controls).
    const inSentence = (element: Element) => {
      const parent = element.parentElement;
      if (element.tagName !== "A" || !parent || getComputedStyle(parent).display.includes("flex")) return false;
      return (parent.textContent ?? "").trim().length > (element.textContent ?? "").trim().length;
    };
    const targetOf = (element: HTMLElement): Element => {
      if (element.matches("input[type=checkbox], input[type=radio]")) return element.closest("label") ?? element;
      if (element.getAttribute("role") === "slider")
        return element.parentElement?.closest("[data-orientation]") ?? element;
      if (getComputedStyle(element, "::after").position === "absolute") return element.offsetParent ?? element;
      return element;
    };
    const found: Small[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      const style = getComputedStyle(element);
      const box = targetOf(element).getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || style.pointerEvents === "none")
        continue;
      if (element.closest(".sr-only, [aria-hidden=true]") || element.classList.contains("skip-link")) continue;
      if (inSentence(element)) continue;
      if (box.width < 43.5 || box.height < 43.5) {
        const name = element.getAttribute("aria-label") ?? element.textContent?.trim().slice(0, 40) ?? "";
        found.push({
          what: `${element.tagName.toLowerCase()}[type=${element.getAttribute("type")}] "${name}"`,
          width: Math.round(box.width),
          height: Math.round(box.height),
        });
      }
    }
    return found;
  });
}

async function check(name: string) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  expect.soft(await horizontalOverflow(page), `${name} overflows sideways`).toBeLessThanOrEqual(0);
  expect.soft(await smallTargets(page), `${name}: controls under 44 px`).toEqual([]);
  await screenshot(page, `phone-targets-${name}`);
}

describe("on a 360 px phone, signed in", () => {
  it("every page fits the width and every control is a 44 px target", async () => {
    const pages: [string, string][] = [
      ["home", "/"],
      ["search", "/search?q=finger&type=tracks"],
      ["search-users", `/search?q=${username}&type=users`],
      ["library", "/library"],
      ["albums", "/albums"],
      ["album", `/albums/${ids.album}`],
      ["artists", "/artists"],
      ["genres", "/genres"],
      ["genre", "/genres/Ambient"],
      ["playlist", `/playlists/${ids.playlist}`],
      ["track", `/tracks/${ids.track}`],
      ["profile", `/u/${username}`],
      ["upload", "/upload"],
      ["settings", "/settings"],
      ["settings-profile", "/settings/profile"],
      ["settings-apps", "/settings/apps"],
      ["chat", "/chat"],
      ["offline", "/offline"],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${baseUrl}${path}`);
      await check(name);
    }
  });

  it("a chat room with a message, the full player, and the waveform dragged by a finger", async () => {
    await page.goto(`${baseUrl}/chat/${ids.room}`);
    await page.getByLabel("Message", { exact: true }).fill("hello from a phone");
    await page.keyboard.press("Enter");
    await page.getByRole("article").filter({ hasText: "hello from a phone" }).waitFor();
    await check("room");
    await page.goto(`${baseUrl}/tracks/${ids.track}`);
    await page.getByRole("main").getByRole("button", { name: "Play", exact: true }).tap();
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 0.2);
    await page
      .getByTestId("player")
      .getByRole("button", { name: /Open the player/ })
      .tap();
    await page.getByRole("dialog", { name: "Player" }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await smallTargets(page), "full player: controls under 44 px").toEqual([]);
    await page.getByRole("dialog", { name: "Player" }).getByRole("button", { name: "Close" }).tap();
    // A finger slides along the waveform from 10 % to 70 %: playback follows to 70 % of 30 s.
    const waveform = await page.getByTestId("waveform").boundingBox();
    if (!waveform) throw new Error("no waveform");
    const cdp = await page.context().newCDPSession(page);
    const y = waveform.y + waveform.height / 2;
    const at = (fraction: number) => [{ x: waveform.x + waveform.width * fraction, y, id: 1 }];
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0.1) });
    for (let step = 1; step <= 6; step++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(0.1 + step * 0.1) });
    }
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    await page.waitForFunction(
      () => {
        const time = document.querySelector("audio")?.currentTime ?? 0;
        return time > 19.5 && time < 29;
      },
      undefined,
      { timeout: 10_000 },
    );
  });
});
