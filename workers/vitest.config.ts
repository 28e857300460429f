import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineProject({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      main: path.join(root, "workers/index.ts"),
      wrangler: { configPath: path.join(root, "wrangler.toml") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, "migrations")),
          JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789",
          STREAM_SIGNING_KEY: "test-stream-signing-key-0123456789abcdef",
          // Low argon2 memory keeps hundreds of test sign-ups fast; the production cost is tested on its own.
          ARGON2_MEMORY_KIB: "64",
          TRANSCODER_URL: inject<string>("transcoderUrl") ?? "",
        },
      },
    })),
  ],
  test: {
    name: "workers",
    root,
    include: ["workers/**/*.test.ts"],
    setupFiles: ["workers/test/apply-migrations.ts"],
    globalSetup: ["workers/test/global-setup.ts"],
    testTimeout: 30_000,
  },
});
