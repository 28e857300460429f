import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";
import { startFakeOAuthProvider } from "../e2e/fake-oauth-provider.ts";

const root = path.resolve(import.meta.dirname, "..");

// Sign-in with providers is tested against a real little OAuth server on a free port (it never
// keeps the run alive). GitHub and Google are configured; Discord has a client id but no secret,
// so it must stay hidden.
const oauthClients = {
  github: { clientId: "test-github-client", clientSecret: "test-github-secret" },
  google: { clientId: "test-google-client", clientSecret: "test-google-secret" },
};

export default defineProject({
  plugins: [
    cloudflareTest(async () => {
      const fakeProvider = await startFakeOAuthProvider(oauthClients);
      return {
        main: path.join(root, "workers/index.ts"),
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(path.join(root, "migrations")),
            JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789",
            STREAM_SIGNING_KEY: "test-stream-signing-key-0123456789abcdef",
            APP_PASSWORD_KEY: "test-app-password-key-0123456789abcdef",
            // Mail is kept in the outbox (D1) for the tests to read, never sent.
            EMAIL_TRANSPORT: "outbox",
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
            OAUTH_GITHUB_CLIENT_ID: oauthClients.github.clientId,
            OAUTH_GITHUB_CLIENT_SECRET: oauthClients.github.clientSecret,
            OAUTH_GITHUB_BASE_URL: `${fakeProvider.url}/github`,
            OAUTH_GOOGLE_CLIENT_ID: oauthClients.google.clientId,
            OAUTH_GOOGLE_CLIENT_SECRET: oauthClients.google.clientSecret,
            OAUTH_GOOGLE_BASE_URL: `${fakeProvider.url}/google`,
            OAUTH_DISCORD_CLIENT_ID: "test-discord-client-without-secret",
          },
        },
      };
    }),
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
