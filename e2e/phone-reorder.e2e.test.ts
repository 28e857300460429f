// On a 390 px touch phone, queue rows and playlist rows are dragged by their handle with a finger
// (touch events, as a phone sends them): a line shows where the row will land, and the order
// changes on release. The up/down buttons stay for keyboards and screen readers.
import type { Browser, BrowserContext, CDPSession, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";
import { horizontalOverflow, launchBrowser, screenshot, seriousA11yViolations } from "./browser.ts";

const baseUrl = inject("baseUrl");
const PHONE = { width: 390, height: 844 };
const TITLES = ["Drag One", "Drag Two", "Drag Three", "Drag Four"];
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let playlistId: string;

beforeAll(async () => {
  const api = new ApiClient(baseUrl);
  const me = await api.register("thumb");
  const dir = scratchDir("veza-e2e-reorder-");
  const ids: string[] = [];
  for (const [i, title] of TITLES.entries()) {
    const audio = await generate(dir, `t${i}.mp3`, [
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=${300 + i * 100}:duration=20`,
      "-c:a",
      "libmp3lame",
    ]);
    ids.push((await api.upload(audio, `t${i}.mp3`, "audio/mpeg", title)).id);
  }
  for (const id of ids) await api.waitForStatus(id, ["ready"]);
  const playlist = await api.json("POST", "/api/v1/playlists", { title: "Thumb Mix" }, 201);
  playlistId = playlist.id;
  for (const id of ids) await api.json("POST", `/api/v1/playlists/${playlistId}/tracks`, { trackId: id }, 201);

  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    bypassCSP: true,
    locale: "en-US",
  });
  page = await context.newPage();
  cdp = await context.newCDPSession(page);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email or username").fill(me.username);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in" }).tap();
  await page.getByRole("heading", { name: `Welcome, ${me.username}` }).waitFor();
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

const center = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error("not on screen");
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
};

/**
 * Presses `handle` with one finger and slides to `toY` in small steps (as a finger does); while
 * still holding, checks the one drop line: on which side of which row. Then lifts the finger.
 */
async function dragWithFinger(
  list: Locator,
  handle: Locator,
  toY: number,
  line: { side: "before" | "after"; row: string; name: string },
) {
  const from = await center(handle);
  const point = (y: number) => [{ x: from.x, y, radiusX: 4, radiusY: 4, force: 1, id: 1 }];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: point(from.y) });
  for (let step = 1; step <= 12; step++) {
    const y = from.y + ((toY - from.y) * step) / 12;
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: point(y) });
  }
  const drop = list.locator("[data-drop]");
  await drop.waitFor();
  expect(await drop.count()).toBe(1);
  expect(await drop.getAttribute("data-drop")).toBe(line.side);
  expect(await drop.textContent()).toContain(line.row);
  // The line is drawn (an accent inset shadow), not only an attribute.
  expect(await drop.evaluate((row) => getComputedStyle(row).boxShadow)).not.toBe("none");
  await screenshot(page, `phone-drag-${line.name}`);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await drop.waitFor({ state: "detached" });
}

describe("on a 390 px touch phone", () => {
  it("drags a queue row to a new place with a finger", async () => {
    await page.goto(`${baseUrl}/playlists/${playlistId}`);
    const rows = page.getByTestId("playlist-tracks");
    await rows.waitFor();
    await rows.getByRole("button", { name: "Play Drag One by" }).tap();
    await page.waitForFunction(() => (document.querySelector("audio")?.currentTime ?? 0) > 0.2);
    await page
      .getByTestId("player")
      .getByRole("button", { name: /Open the player/ })
      .tap();
    const queue = page.getByTestId("queue");
    await queue.waitFor();
    const titles = () => queue.locator("li p:first-child").allTextContents();
    expect(await titles()).toEqual(["Drag Two", "Drag Three", "Drag Four"]);
    const handles = queue.getByTestId("drag-handle");
    const handleBox = await handles.first().boundingBox();
    expect(Math.min(handleBox?.width ?? 0, handleBox?.height ?? 0), "handle touch target").toBeGreaterThanOrEqual(44);

    // Drag Two down past Drag Four's middle: it lands last.
    const last = await center(queue.locator("li").nth(2));
    await dragWithFinger(queue, handles.first(), last.y + 10, { side: "after", row: "Drag Four", name: "queue" });
    await expect.poll(titles).toEqual(["Drag Three", "Drag Four", "Drag Two"]);
    await page.getByText("Drag Two moved to position 3").waitFor({ state: "attached" });
    // The page did not scroll sideways or stretch while dragging.
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.getByRole("dialog", { name: "Player" }).getByRole("button", { name: "Close" }).tap();
  });

  it("drags a playlist row upwards with a finger; the new order is saved", async () => {
    await page.goto(`${baseUrl}/playlists/${playlistId}`);
    const list = page.getByTestId("playlist-tracks");
    await list.waitFor();
    const titles = () => list.locator("li a").allTextContents();
    expect(await titles()).toEqual(TITLES);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    const handles = list.getByTestId("drag-handle");
    // Drag Four up onto Drag Two's upper half: it lands in second place.
    const onto = await list.locator("li").nth(1).boundingBox();
    if (!onto) throw new Error("row not on screen");
    await dragWithFinger(list, handles.nth(3), onto.y + 6, { side: "before", row: "Drag Two", name: "playlist" });
    const moved = ["Drag One", "Drag Four", "Drag Two", "Drag Three"];
    await expect.poll(titles).toEqual(moved);

    await page.reload();
    await list.waitFor();
    expect(await titles()).toEqual(moved);
  });
});
