import type { TestProject } from "vitest/node";
import { startFakeOAuthProvider } from "./fake-oauth-provider.ts";
import { startStack } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The stack's wrangler state (`--persist-to`), for a test that must change the database as an operator would. */
    stateDir: string;
  }
}

/** The sign-in providers of the e2e stack: GitHub and Discord, at the fake provider; Google stays unconfigured. */
const oauthClients = {
  github: { clientId: "e2e-github-client", clientSecret: "e2e-github-secret" },
  discord: { clientId: "e2e-discord-client", clientSecret: "e2e-discord-secret" },
};

export default async function setup(project: TestProject) {
  const fakeProvider = await startFakeOAuthProvider(oauthClients);
  const stack = await startStack({
    vars: {
      OAUTH_GITHUB_CLIENT_ID: oauthClients.github.clientId,
      OAUTH_GITHUB_CLIENT_SECRET: oauthClients.github.clientSecret,
      OAUTH_GITHUB_BASE_URL: `${fakeProvider.url}/github`,
      OAUTH_DISCORD_CLIENT_ID: oauthClients.discord.clientId,
      OAUTH_DISCORD_CLIENT_SECRET: oauthClients.discord.clientSecret,
      OAUTH_DISCORD_BASE_URL: `${fakeProvider.url}/discord`,
    },
  });
  project.provide("baseUrl", stack.baseUrl);
  project.provide("stateDir", stack.stateDir);
  return async () => {
    await stack.stop();
    await fakeProvider.close();
  };
}
