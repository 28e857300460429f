import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, playQualifies } from "./format.ts";
import { matchPath } from "./router.ts";

describe("formatting", () => {
  it("formats durations as a player shows them", () => {
    expect(formatDuration(7_000)).toBe("0:07");
    expect(formatDuration(205_400)).toBe("3:25");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatDuration(null)).toBe("–:––");
  });

  it("formats storage sizes in decimal units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(524_288_000)).toBe("524 MB");
    expect(formatBytes(10_737_418_240)).toBe("10.7 GB");
  });

  it("counts a play at 30 s or half the track, whichever comes first", () => {
    expect(playQualifies(29_999, 600_000)).toBe(false);
    expect(playQualifies(30_000, 600_000)).toBe(true);
    expect(playQualifies(10_000, 20_000)).toBe(true);
    expect(playQualifies(9_999, 20_000)).toBe(false);
    expect(playQualifies(10_000, null)).toBe(false);
  });
});

describe("matchPath", () => {
  it("extracts named segments and refuses other shapes", () => {
    expect(matchPath("/tracks/:id", "/tracks/abc123")).toEqual({ id: "abc123" });
    expect(matchPath("/u/:username", "/u/ada%20l/")).toEqual({ username: "ada l" });
    expect(matchPath("/tracks/:id", "/tracks/abc/extra")).toBeNull();
    expect(matchPath("/", "/upload")).toBeNull();
  });
});
