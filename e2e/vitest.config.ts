import path from "node:path";
import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "e2e",
    root: path.resolve(import.meta.dirname, ".."),
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    globalSetup: ["e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // After the other projects: it starts its own Worker, transcoder and browser and wants the CPU.
    sequence: { groupOrder: 1 },
  },
});
