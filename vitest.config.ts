import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["*/vitest.config.ts"],
    // The Worker logs one JSON line per request (workers/shared/log.ts); show warnings and errors only.
    onConsoleLog: (line) => !line.startsWith('{"level":"info"'),
  },
});
