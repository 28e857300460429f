import path from "node:path";
import { defineProject } from "vitest/config";

// The operator scripts' logic (no Cloudflare account here): resource planning, wrangler.toml edits,
// the environments' consistency and the Dockerfile rules; and the benchmarks' results file.
export default defineProject({
  test: {
    name: "ops",
    root: path.resolve(import.meta.dirname, ".."),
    include: ["ops/**/*.test.ts", "bench/**/*.test.ts"],
    environment: "node",
  },
});
