import { ApiError } from "../../shared/errors.ts";
import { type ConfiguredProvider, type ProviderProfile, providerError } from "./providers.ts";

const PROVIDER_TIMEOUT_MS = 10_000;
// GitHub refuses API requests without a User-Agent.
const USER_AGENT = "veza-edge";

async function providerFetch(provider: ConfiguredProvider, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
  } catch {
    throw providerError(`${provider.name} did not answer. Try again in a moment.`);
  }
}

async function jsonOf(provider: ConfiguredProvider, response: Response): Promise<Record<string, unknown>> {
  try {
    const body = await response.json();
    if (body && typeof body === "object") return body as Record<string, unknown>;
  } catch {}
  throw providerError(`${provider.name} gave an answer that is not JSON (HTTP ${response.status}).`);
}

/**
 * Trades the authorization code for an access token, proving with the PKCE verifier that this is
 * the server that started the sign-in. A code the provider refuses (expired, used, issued for
 * another verifier or client) is the caller's 400; the provider failing is a 502.
 */
export async function exchangeCode(
  provider: ConfiguredProvider,
  code: string,
  codeVerifier: string,
  redirectUri: string,
): Promise<string> {
  const response = await providerFetch(provider, provider.endpoints.token, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      "user-agent": USER_AGENT,
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: provider.clientId,
      client_secret: provider.clientSecret,
      code_verifier: codeVerifier,
    }),
  });
  if (response.status >= 500) throw providerError(`${provider.name} failed (HTTP ${response.status}). Try again.`);
  const body = await jsonOf(provider, response);
  if (response.status === 401 || body.error === "invalid_client" || body.error === "incorrect_client_credentials") {
    throw providerError(`${provider.name} refused this server's client id or secret: its configuration needs fixing.`);
  }
  // GitHub answers a refused code with 200 and an `error` field; the others with a 4xx.
  if (typeof body.error === "string" || !response.ok) {
    throw new ApiError(
      400,
      "oauth_code_rejected",
      `${provider.name} refused the sign-in (${String(body.error ?? response.status)}). Start again from the sign-in page.`,
    );
  }
  if (typeof body.access_token !== "string") throw providerError(`${provider.name} gave no access token.`);
  return body.access_token;
}

/** The signed-in account as the provider describes it. */
export async function fetchProfile(provider: ConfiguredProvider, accessToken: string): Promise<ProviderProfile> {
  return provider.profile(async (path) => {
    const response = await providerFetch(provider, `${provider.endpoints.api}${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": USER_AGENT },
    });
    if (!response.ok) throw providerError(`${provider.name} did not share the account (HTTP ${response.status}).`);
    return jsonOf(provider, response);
  });
}
