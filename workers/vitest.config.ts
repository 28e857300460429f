import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineProject({
  plugins: [
    cloudflareTest(async () => ({
      main: path.join(root, "workers/index.ts"),
      wrangler: { configPath: path.join(root, "wrangler.toml") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(path.join(root, "migrations")),
          JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789",
          STREAM_SIGNING_KEY: "test-stream-signing-key-0123456789abcdef",
          APP_PASSWORD_KEY: "test-app-password-key-0123456789abcdef",
          // Low argon2 memory keeps hundreds of test sign-ups fast; the production cost is tested on its own.
          ARGON2_MEMORY_KIB: "64",
          // Rooms spread sockets over shards from the fourth one, so the chat tests exercise both paths.
          CHAT_SHARD_THRESHOLD: "3",
          // The Subsonic chat bridge's room; workers/subsonic/test/chat.test.ts creates it.
          SUBSONIC_LOBBY_ROOM_ID: "subsonic-lobby-test",
          // The transcoder cannot call back into this in-process runtime (it has no address), so the
          // whole pipeline is tested against `wrangler dev` in e2e/; here it is simply unreachable.
          TRANSCODER_URL: "http://127.0.0.1:9",
          TRANSCODER_SECRET: "test-transcoder-secret-0123456789abcdef",
          // Short party timers, so hand-over and the end of an empty party are tested in real time.
          PARTY_EMPTY_MS: "300",
          PARTY_HOST_GRACE_MS: "200",
          // Web Push goes to the fake push service of workers/test/fake-push-service.ts, over http on 127.0.0.1.
          PUSH_ALLOW_LOOPBACK_ENDPOINTS: "true",
          VAPID_PUBLIC_KEY: "BMnZ2OCoQsV-TobRWQ29TPhoyOggOstCTEc78h4mvhZKW47HvYxQ-M90jVoIX_oAs_AcvpK9cu6xGg9nmM965Ck",
          VAPID_PRIVATE_KEY: "vKJvBZEGPxPffF5bUW2lxRfWkTSIrHEGkv6MI7nUfpE",
        },
      },
    })),
  ],
  test: {
    name: "workers",
    root,
    include: ["workers/**/*.test.ts"],
    setupFiles: ["workers/test/apply-migrations.ts"],
    globalSetup: ["workers/test/fake-push-service.ts"],
    testTimeout: 30_000,
  },
});
