import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppBindings } from "../../env.ts";
import { randomToken } from "../../shared/crypto.ts";
import { ApiError } from "../../shared/errors.ts";
import {
  createRouter,
  endpoint,
  errorResponse,
  IdParams,
  jsonBody,
  jsonResponse,
  pageOf,
} from "../../shared/openapi.ts";
import { deviceId } from "../device-id.ts";
import { MfaRequiredResponse } from "../mfa/schemas.ts";
import { secondStepFor } from "../mfa/second-step.ts";
import { clientIp, enforceRateLimit } from "../rate-limit.ts";
import { signedIn } from "../route-presets.ts";
import { signedInResponse } from "../routes.ts";
import { SessionResponse } from "../schemas.ts";
import { findUserById } from "../users.ts";
import { exchangeCode, fetchProfile } from "./exchange.ts";
import { accountForSignIn, linkIdentity, listIdentities, unlinkIdentity } from "./identities.ts";
import { configuredProviders, requireProvider } from "./providers.ts";
import { beginAuthorization, consumeState, OAUTH_STATE_TTL_MS, redirectUriOf } from "./states.ts";

/** Binds a started sign-in to the browser that started it; sent back only with the callback request. */
const BROWSER_COOKIE = "veza_oauth_browser";
const BROWSER_COOKIE_PATH = "/api/v1/auth/oauth";

const ProviderParams = z.object({ provider: z.string().min(1).max(32).openapi({ example: "github" }) });
const ProviderSchema = z.object({ id: z.string(), name: z.string() }).openapi("SignInProvider");
const AuthorizationResponse = z
  .object({ url: z.string().openapi({ description: "The provider's sign-in page: send the browser there" }) })
  .openapi("ProviderAuthorization");
const LinkedIdentitySchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    providerName: z.string(),
    label: z.string().openapi({ description: "The login or email the provider gave, to tell accounts apart" }),
    email: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    canUnlink: z.boolean().openapi({ description: "False when it is the account's only way to sign in" }),
  })
  .openapi("LinkedIdentity");
const CallbackBody = z.object({ code: z.string().min(1).max(2048), state: z.string().min(1).max(256) });
const CallbackResponse = z
  .discriminatedUnion("result", [
    z.object({
      result: z.literal("signed_in"),
      // Exactly what a login answers, and how the account was found.
      ...SessionResponse.shape,
      account: z.enum(["existing", "linked_by_email", "created"]),
    }),
    z.object({ result: z.literal("linked"), identity: LinkedIdentitySchema }),
    // Two-step sign-in is on: the provider stands in for the password, not for the second step.
    MfaRequiredResponse.extend({ result: z.literal("mfa_required") }),
  ])
  .openapi("ProviderCallbackResult");

const listProviders = createRoute({
  ...endpoint("get", "/auth/providers", "auth"),
  summary: "The sign-in providers configured on this server (the login page shows a button for each)",
  responses: { 200: jsonResponse(pageOf(ProviderSchema), "Configured providers") },
});

const startSignIn = createRoute({
  ...endpoint("post", "/auth/oauth/{provider}/start", "auth"),
  summary: "Start signing in with a provider (OAuth 2 code flow with PKCE and state)",
  request: { params: ProviderParams },
  responses: {
    200: jsonResponse(AuthorizationResponse, "Where to send the browser; a cookie binds the sign-in to it"),
    404: errorResponse("The provider is not configured here"),
    429: errorResponse("Rate limited; see Retry-After"),
  },
});

const callback = createRoute({
  ...endpoint("post", "/auth/oauth/{provider}/callback", "auth"),
  summary: "Finish a provider sign-in (or link) with the code and state the provider sent back",
  request: { params: ProviderParams, ...jsonBody(CallbackBody) },
  responses: {
    200: jsonResponse(CallbackResponse, "Signed in (access token + refresh cookie, as a login), or linked"),
    400: errorResponse("State unknown, used, expired or from another browser; code refused; no email"),
    401: errorResponse("The account cannot sign in"),
    404: errorResponse("The provider is not configured here"),
    409: errorResponse(
      "An account uses the email but the provider has not verified it; or the identity is linked elsewhere",
    ),
    429: errorResponse("Rate limited; see Retry-After"),
    502: errorResponse("The provider failed or did not answer"),
  },
});

const listLinked = createRoute({
  ...endpoint("get", "/me/identities", "me"),
  summary: "Provider accounts linked to this account",
  ...signedIn({ 200: jsonResponse(pageOf(LinkedIdentitySchema), "Linked provider accounts, newest first") }),
});

const startLink = createRoute({
  ...endpoint("post", "/me/identities/{provider}/start", "me"),
  summary: "Start linking a provider account to this account; finish with the callback route",
  request: { params: ProviderParams },
  ...signedIn({
    200: jsonResponse(AuthorizationResponse, "Where to send the browser"),
    404: errorResponse("The provider is not configured here"),
  }),
});

const unlink = createRoute({
  ...endpoint("delete", "/me/identities/{id}", "me"),
  summary: "Unlink a provider account (not the last way to sign in)",
  request: { params: IdParams },
  ...signedIn({
    204: { description: "Unlinked" },
    404: errorResponse("No such linked account of yours"),
    409: errorResponse("It is the only way to sign in to this account"),
  }),
});

/** The browser's binding token: the one it already has (several sign-ins may run at once) or a new one. */
function browserToken<E extends AppBindings>(c: Context<E>): string {
  const token = getCookie(c, BROWSER_COOKIE) || randomToken();
  setCookie(c, BROWSER_COOKIE, token, {
    path: BROWSER_COOKIE_PATH,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: Math.floor(OAUTH_STATE_TTL_MS / 1000),
  });
  return token;
}

async function authorizationUrl<E extends AppBindings>(c: Context<E>, ip: string, linkUserId: string | null) {
  await enforceRateLimit(c.env, "oauth:ip", ip);
  const provider = requireProvider(c.env, c.req.param("provider") ?? "");
  const redirectUri = redirectUriOf(c.env.PUBLIC_BASE_URL, provider.id);
  return beginAuthorization(c.env.DB, provider, redirectUri, browserToken(c), linkUserId);
}

export const oauthRoutes = createRouter()
  .openapi(listProviders, (c) =>
    c.json({ items: configuredProviders(c.env).map(({ id, name }) => ({ id, name })), nextCursor: null }, 200),
  )
  .openapi(startSignIn, async (c) => c.json({ url: await authorizationUrl(c, clientIp(c), null) }, 200))
  .openapi(startLink, async (c) => c.json({ url: await authorizationUrl(c, clientIp(c), c.var.viewer.id) }, 200))
  .openapi(callback, async (c) => {
    await enforceRateLimit(c.env, "oauth:ip", clientIp(c));
    const provider = requireProvider(c.env, c.req.valid("param").provider);
    const { code, state } = c.req.valid("json");
    const started = await consumeState(c.env.DB, provider.id, state, getCookie(c, BROWSER_COOKIE));
    const redirectUri = redirectUriOf(c.env.PUBLIC_BASE_URL, provider.id);
    const accessToken = await exchangeCode(provider, code, started.codeVerifier, redirectUri);
    const profile = await fetchProfile(provider, accessToken);
    if (started.linkUserId) {
      const owner = await findUserById(c.env.DB, started.linkUserId);
      if (!owner || owner.status !== "active")
        throw new ApiError(401, "unauthenticated", "Sign in again to link an account.");
      const identity = await linkIdentity(c.env.DB, provider, profile, owner.id);
      return c.json({ result: "linked" as const, identity }, 200);
    }
    // A new account counts against the same limits as a sign-up with a password.
    const signUpLimits = async () => {
      await enforceRateLimit(c.env, "register:ip", clientIp(c));
      await enforceRateLimit(c.env, "register:device", deviceId(c));
      if (profile.email) await enforceRateLimit(c.env, "register:email", profile.email.toLowerCase());
    };
    const { user, outcome } = await accountForSignIn(c.env.DB, provider, profile, signUpLimits);
    const secondStep = await secondStepFor(c.env, user);
    if (secondStep) return c.json({ result: "mfa_required" as const, ...secondStep }, 200);
    const session = await signedInResponse(c, user, provider.id);
    return c.json({ result: "signed_in" as const, ...session, account: outcome }, 200);
  })
  .openapi(listLinked, async (c) =>
    c.json({ items: await listIdentities(c.env.DB, c.var.viewer.id), nextCursor: null }, 200),
  )
  .openapi(unlink, async (c) => {
    await unlinkIdentity(c.env.DB, c.var.viewer.id, c.req.valid("param").id);
    return c.body(null, 204);
  });
