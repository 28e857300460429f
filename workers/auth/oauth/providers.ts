import type { Env } from "../../env.ts";
import { ApiError } from "../../shared/errors.ts";
import { PROVIDER_IDS, PROVIDER_NAMES, type ProviderId, providerName } from "./provider-names.ts";

export type { ProviderId };

/** What a provider says about the account that signed in. */
export type ProviderProfile = {
  /** The provider's stable account id. */
  id: string;
  /** A login or handle, the starting point of a new account's username. */
  login: string;
  displayName: string | null;
  email: string | null;
  /** The provider has confirmed the person owns `email`. */
  emailVerified: boolean;
};

type Endpoints = { authorize: string; token: string; api: string };

type ProviderSpec = {
  scope: string;
  /** The real endpoints; all three move under OAUTH_<ID>_BASE_URL when it is set (tests, a fake). */
  endpoints: (base: string | undefined) => Endpoints;
  profile: (get: (path: string) => Promise<unknown>) => Promise<ProviderProfile>;
};

type Json = Record<string, unknown>;
const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
const idOf = (value: unknown) => (typeof value === "number" || typeof value === "string" ? String(value) : null);

const SPECS: Record<ProviderId, ProviderSpec> = {
  github: {
    scope: "read:user user:email",
    endpoints: (base) => ({
      authorize: `${base ?? "https://github.com"}/login/oauth/authorize`,
      token: `${base ?? "https://github.com"}/login/oauth/access_token`,
      api: base ?? "https://api.github.com",
    }),
    async profile(get) {
      const user = (await get("/user")) as Json;
      // The profile's email is only the public one and says nothing of verification: ask for the list.
      const emails = (await get("/user/emails")) as Json[];
      const list = Array.isArray(emails) ? emails : [];
      const chosen =
        list.find((e) => e.primary === true && e.verified === true) ??
        list.find((e) => e.verified === true) ??
        list.find((e) => e.primary === true);
      return requireId(
        {
          id: idOf(user.id) ?? "",
          login: str(user.login) ?? "",
          displayName: str(user.name),
          email: str(chosen?.email) ?? str(user.email),
          emailVerified: chosen?.verified === true,
        },
        "GitHub",
      );
    },
  },
  google: {
    scope: "openid email profile",
    endpoints: (base) => ({
      authorize: `${base ?? "https://accounts.google.com"}/o/oauth2/v2/auth`,
      token: `${base ?? "https://oauth2.googleapis.com"}/token`,
      api: base ?? "https://openidconnect.googleapis.com",
    }),
    async profile(get) {
      const info = (await get("/v1/userinfo")) as Json;
      const email = str(info.email);
      return requireId(
        {
          id: str(info.sub) ?? "",
          login: email?.split("@")[0] ?? str(info.given_name) ?? "",
          displayName: str(info.name),
          email,
          emailVerified: info.email_verified === true || info.email_verified === "true",
        },
        "Google",
      );
    },
  },
  discord: {
    scope: "identify email",
    endpoints: (base) => ({
      authorize: `${base ?? "https://discord.com"}/oauth2/authorize`,
      token: `${base ?? "https://discord.com"}/api/oauth2/token`,
      api: `${base ?? "https://discord.com"}/api`,
    }),
    async profile(get) {
      const user = (await get("/users/@me")) as Json;
      return requireId(
        {
          id: idOf(user.id) ?? "",
          login: str(user.username) ?? "",
          displayName: str(user.global_name),
          email: str(user.email),
          emailVerified: user.verified === true,
        },
        "Discord",
      );
    },
  },
};

function requireId(profile: ProviderProfile, name: string): ProviderProfile {
  if (!profile.id) throw providerError(`${name} did not say which account signed in.`);
  return profile;
}

export const providerError = (message: string) => new ApiError(502, "oauth_provider_error", message);

/** A provider this server can sign in with: its endpoints and client credentials are known. */
export type ConfiguredProvider = {
  id: ProviderId;
  name: string;
  scope: string;
  clientId: string;
  clientSecret: string;
  endpoints: Endpoints;
  profile: ProviderSpec["profile"];
};

type OAuthEnv = Pick<
  Env,
  | "OAUTH_GITHUB_CLIENT_ID"
  | "OAUTH_GITHUB_CLIENT_SECRET"
  | "OAUTH_GITHUB_BASE_URL"
  | "OAUTH_GOOGLE_CLIENT_ID"
  | "OAUTH_GOOGLE_CLIENT_SECRET"
  | "OAUTH_GOOGLE_BASE_URL"
  | "OAUTH_DISCORD_CLIENT_ID"
  | "OAUTH_DISCORD_CLIENT_SECRET"
  | "OAUTH_DISCORD_BASE_URL"
>;

function settingsOf(env: OAuthEnv, id: ProviderId) {
  const key = id.toUpperCase() as "GITHUB" | "GOOGLE" | "DISCORD";
  return {
    clientId: env[`OAUTH_${key}_CLIENT_ID`]?.trim() ?? "",
    clientSecret: env[`OAUTH_${key}_CLIENT_SECRET`]?.trim() ?? "",
    base: env[`OAUTH_${key}_BASE_URL`]?.trim().replace(/\/+$/, "") || undefined,
  };
}

/** The provider when it is configured (client id and secret set); undefined otherwise. */
export function configuredProvider(env: OAuthEnv, id: string): ConfiguredProvider | undefined {
  if (!(PROVIDER_IDS as string[]).includes(id)) return undefined;
  const providerId = id as ProviderId;
  const { clientId, clientSecret, base } = settingsOf(env, providerId);
  if (!clientId || !clientSecret) return undefined;
  const spec = SPECS[providerId];
  return {
    id: providerId,
    name: PROVIDER_NAMES[providerId],
    scope: spec.scope,
    clientId,
    clientSecret,
    endpoints: spec.endpoints(base),
    profile: spec.profile,
  };
}

/** Every configured provider, in a fixed order (the login page's buttons). */
export function configuredProviders(env: OAuthEnv): ConfiguredProvider[] {
  return PROVIDER_IDS.flatMap((id) => configuredProvider(env, id) ?? []);
}

/** The configured provider, or a 404 that says it is not set up here. */
export function requireProvider(env: OAuthEnv, id: string): ConfiguredProvider {
  const provider = configuredProvider(env, id);
  if (!provider) {
    const known = (PROVIDER_IDS as string[]).includes(id);
    throw new ApiError(
      404,
      "provider_not_configured",
      known
        ? `Signing in with ${providerName(id)} is not set up on this server.`
        : `There is no sign-in provider called "${id}".`,
    );
  }
  return provider;
}
