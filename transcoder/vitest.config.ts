import path from "node:path";
import { defineProject } from "vitest/config";

// The transcoder's tests: a Node process running real ffmpeg over audio generated at test time.
export default defineProject({
  test: {
    name: "transcoder",
    root: path.resolve(import.meta.dirname, ".."),
    environment: "node",
    include: ["transcoder/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
