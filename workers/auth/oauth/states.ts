import { lt } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { oauthStates } from "../../db/schema/index.ts";
import { base64url, randomToken, sha256Hex } from "../../shared/crypto.ts";
import { ApiError } from "../../shared/errors.ts";
import type { ConfiguredProvider } from "./providers.ts";

/** How long a started sign-in may take at the provider before it must start again. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** Where the provider sends the browser back: a page of the web app, which posts code and state to the API. */
export function redirectUriOf(publicBaseUrl: string, providerId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/oauth/callback/${providerId}`;
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * Starts a sign-in (or, with `linkUserId`, the linking of a provider to that account): stores the
 * state with its PKCE verifier, bound to the browser's `browserToken`, and returns the provider's
 * authorization URL (PKCE S256).
 */
export async function beginAuthorization(
  d1: D1Database,
  provider: ConfiguredProvider,
  redirectUri: string,
  browserToken: string,
  linkUserId: string | null,
  now = Date.now(),
): Promise<string> {
  const state = randomToken();
  const codeVerifier = randomToken(48);
  await getDb(d1)
    .insert(oauthStates)
    .values({
      stateHash: await sha256Hex(state),
      provider: provider.id,
      browserHash: await sha256Hex(browserToken),
      codeVerifier,
      linkUserId,
      createdAt: now,
      expiresAt: now + OAUTH_STATE_TTL_MS,
    });
  const url = new URL(provider.endpoints.authorize);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: provider.clientId,
    redirect_uri: redirectUri,
    scope: provider.scope,
    state,
    code_challenge: await s256(codeVerifier),
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

export type ConsumedState = { codeVerifier: string; linkUserId: string | null };

const stateRefused = () =>
  new ApiError(
    400,
    "oauth_state_invalid",
    "This sign-in was not started here, was already used or has expired. Start again from the sign-in page.",
  );

/**
 * Takes the state out of storage (single use: deleted whether or not it matches) and checks that
 * it was started for this provider, by this browser, less than OAUTH_STATE_TTL_MS ago.
 */
export async function consumeState(
  d1: D1Database,
  providerId: string,
  state: string,
  browserToken: string | undefined,
  now = Date.now(),
): Promise<ConsumedState> {
  const row = await d1
    .prepare("DELETE FROM oauth_states WHERE state_hash = ?1 RETURNING *")
    .bind(await sha256Hex(state))
    .first<{
      provider: string;
      browser_hash: string;
      code_verifier: string;
      link_user_id: string | null;
      expires_at: number;
    }>();
  if (!row || !browserToken) throw stateRefused();
  if (row.provider !== providerId || row.expires_at <= now) throw stateRefused();
  if (row.browser_hash !== (await sha256Hex(browserToken))) throw stateRefused();
  return { codeVerifier: row.code_verifier, linkUserId: row.link_user_id };
}

/** Removes sign-ins that were started and never finished (hourly, with the other purges). */
export async function purgeOAuthStates(d1: D1Database, now = Date.now()): Promise<void> {
  await getDb(d1).delete(oauthStates).where(lt(oauthStates.expiresAt, now));
}
