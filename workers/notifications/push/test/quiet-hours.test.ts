import { describe, expect, it } from "vitest";
import { isKnownTimeZone, isQuietTime, localMinuteOfDay } from "../quiet-hours.ts";
import { retryDelaySeconds } from "../retry-message.ts";
import { retryAfterSeconds } from "../send.ts";

const at = (iso: string) => Date.parse(iso);

describe("quiet hours", () => {
  it("read the clock in the user's time zone, daylight saving included", () => {
    expect(localMinuteOfDay(at("2026-01-15T21:30:00Z"), "Europe/Paris")).toBe(22 * 60 + 30); // UTC+1
    expect(localMinuteOfDay(at("2026-07-15T21:30:00Z"), "Europe/Paris")).toBe(23 * 60 + 30); // UTC+2
    expect(localMinuteOfDay(at("2026-07-15T00:05:00Z"), "UTC")).toBe(5);
    expect(localMinuteOfDay(at("2026-07-15T04:00:00Z"), "America/New_York")).toBe(0);
  });

  it("span midnight: 22:00–07:00 is quiet at 23:59 and 06:59, not at 07:00 or 21:59", () => {
    const quiet = { start: 22 * 60, end: 7 * 60, timeZone: "UTC" };
    expect(isQuietTime(quiet, at("2026-03-01T23:59:00Z"))).toBe(true);
    expect(isQuietTime(quiet, at("2026-03-01T06:59:00Z"))).toBe(true);
    expect(isQuietTime(quiet, at("2026-03-01T22:00:00Z"))).toBe(true);
    expect(isQuietTime(quiet, at("2026-03-01T07:00:00Z"))).toBe(false);
    expect(isQuietTime(quiet, at("2026-03-01T21:59:00Z"))).toBe(false);
  });

  it("within a day: 13:00–14:00 in Tokyo", () => {
    const quiet = { start: 13 * 60, end: 14 * 60, timeZone: "Asia/Tokyo" };
    expect(isQuietTime(quiet, at("2026-03-01T04:30:00Z"))).toBe(true); // 13:30 JST
    expect(isQuietTime(quiet, at("2026-03-01T05:00:00Z"))).toBe(false); // 14:00 JST
    expect(isQuietTime(null, at("2026-03-01T04:30:00Z"))).toBe(false);
  });

  it("know which time zones exist", () => {
    expect(isKnownTimeZone("Europe/Paris")).toBe(true);
    expect(isKnownTimeZone("UTC")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});

describe("push retries", () => {
  it("follow Retry-After (seconds or a date) within bounds, else back off 30 s × 4ⁿ up to an hour", () => {
    const now = at("2026-03-01T12:00:00Z");
    expect(retryAfterSeconds("120", now)).toBe(120);
    expect(retryAfterSeconds("Sun, 01 Mar 2026 12:01:30 GMT", now)).toBe(90);
    expect(retryAfterSeconds("soon", now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryDelaySeconds(1, 120)).toBe(120);
    expect(retryDelaySeconds(1, 0)).toBe(1);
    expect(retryDelaySeconds(1, 86_400)).toBe(3600);
    expect([1, 2, 3, 4, 5].map((n) => retryDelaySeconds(n, null))).toEqual([30, 120, 480, 1920, 3600]);
  });
});
