import { describe, expect, it } from "vitest";
import { outputVolume, progressiveQuality } from "./quality.ts";

describe("stream quality and volume", () => {
  it("keeps a pinned quality, and picks one from the network otherwise", () => {
    expect(progressiveQuality("high", { effectiveType: "2g" })).toBe("high");
    expect(progressiveQuality("auto", { effectiveType: "3g", downlink: 1.6 })).toBe("low");
    expect(progressiveQuality("auto", { effectiveType: "4g", downlink: 2 })).toBe("medium");
    expect(progressiveQuality("auto", { effectiveType: "4g", downlink: 10 })).toBe("high");
    expect(progressiveQuality("auto", { effectiveType: "4g", downlink: 10, saveData: true })).toBe("low");
    expect(progressiveQuality("auto", undefined)).toBe("medium");
  });

  it("turns loud tracks down to the target and never above the listener's level", () => {
    expect(outputVolume(1, false, -6, true)).toBeCloseTo(0.501, 3);
    expect(outputVolume(0.5, false, -6, true)).toBeCloseTo(0.251, 3);
    expect(outputVolume(1, false, 4, true)).toBe(1);
    expect(outputVolume(1, false, -6, false)).toBe(1);
    expect(outputVolume(0.8, true, -6, true)).toBe(0);
  });
});
