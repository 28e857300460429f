import type { CDPSession, Page } from "playwright-core";

/** The slow connection the issue measures against: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency. */
export const SLOW_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 1_600_000 / 8,
  uploadThroughput: 750_000 / 8,
};

export async function throttle(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK);
  return cdp;
}

/** Counts the bytes of media responses the page received (to show a start did not fetch the whole file). */
export function countMediaBytes(cdp: CDPSession): () => number {
  const media = new Set<string>();
  let bytes = 0;
  cdp.on("Network.responseReceived", (event) => {
    if (/\/media\/|\.mp4|\.m3u8/.test(event.response.url)) media.add(event.requestId);
  });
  cdp.on("Network.dataReceived", (event) => {
    if (media.has(event.requestId)) bytes += event.dataLength;
  });
  return () => bytes;
}

/**
 * Milliseconds from `action` until the page's <audio> is actually playing (the `playing` event
 * with the clock moving), measured inside the page.
 */
export async function msUntilPlaying(page: Page, selector: string, action: () => Promise<void>): Promise<number> {
  await page.evaluate((sel) => {
    const w = window as unknown as { __playing: Promise<number>; __t0: number };
    w.__playing = new Promise<number>((resolve) => {
      const poll = () => {
        const audio = document.querySelector<HTMLAudioElement>(sel);
        if (!audio) return void setTimeout(poll, 5);
        const check = () => {
          if (!audio.paused && audio.readyState >= 3 && audio.currentTime > 0) resolve(performance.now() - w.__t0);
          else setTimeout(check, 5);
        };
        check();
      };
      poll();
    });
    w.__t0 = performance.now();
  }, selector);
  await action();
  return page.evaluate(() => (window as unknown as { __playing: Promise<number> }).__playing);
}

/** Milliseconds from a seek to `seconds` until playback runs again from there. */
export function msToSeek(page: Page, selector: string, seconds: number, seek: () => Promise<void>): Promise<number> {
  return (async () => {
    await page.evaluate(
      ([sel, target]) => {
        const w = window as unknown as { __seeked: Promise<number>; __t0: number };
        const audio = document.querySelector<HTMLAudioElement>(sel as string) as HTMLAudioElement;
        w.__seeked = new Promise<number>((resolve) => {
          const check = () => {
            if (!audio.seeking && audio.readyState >= 3 && audio.currentTime >= (target as number) - 1 && !audio.paused)
              resolve(performance.now() - w.__t0);
            else setTimeout(check, 5);
          };
          check();
        });
        w.__t0 = performance.now();
      },
      [selector, seconds] as const,
    );
    await seek();
    return page.evaluate(() => (window as unknown as { __seeked: Promise<number> }).__seeked);
  })();
}
