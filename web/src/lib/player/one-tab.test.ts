import { describe, expect, it } from "vitest";
import { oneTabPlayback } from "./one-tab.ts";

describe("one tab plays at a time", () => {
  it("tells the other tabs to pause when one starts, and not itself", async () => {
    const paused: string[] = [];
    const channel = `test-${Math.random()}`;
    const first = oneTabPlayback(() => paused.push("first"), channel);
    const second = oneTabPlayback(() => paused.push("second"), channel);
    first.announce();
    await new Promise((r) => setTimeout(r, 50));
    expect(paused).toEqual(["second"]);
    first.close();
    second.close();
  });
});
