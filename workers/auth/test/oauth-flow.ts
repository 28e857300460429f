import { call, json } from "../../test/http.ts";

/** The account a test signs in as at the fake provider (e2e/fake-oauth-provider.ts). */
export type ProviderAccount = { id: string; login?: string; name?: string; email?: string | null; verified?: boolean };

export type StartedSignIn = { url: string; browserCookie: string };

const BROWSER_COOKIE = "veza_oauth_browser";

function browserCookieOf(response: Response, previous?: string): string {
  const set = response.headers.getSetCookie().find((c) => c.startsWith(`${BROWSER_COOKIE}=`));
  return set?.split(";")[0] ?? previous ?? "";
}

/** Starts a sign-in (or, with `token`, a link from settings) as one browser, `browserCookie` its cookie jar. */
export async function startSignIn(
  provider: string,
  options: { browserCookie?: string; token?: string } = {},
): Promise<StartedSignIn> {
  const path = options.token ? `/api/v1/me/identities/${provider}/start` : `/api/v1/auth/oauth/${provider}/start`;
  const response = await call("POST", path, { cookie: options.browserCookie, token: options.token });
  if (response.status !== 200) throw new Error(`start failed: ${response.status} ${await response.text()}`);
  const { url } = await json<{ url: string }>(response);
  return { url, browserCookie: browserCookieOf(response, options.browserCookie) };
}

/** Approves the authorization at the fake provider as `account`; the code and state it sends back. */
export async function approveAtProvider(
  url: string,
  account: ProviderAccount,
): Promise<{ code: string; state: string }> {
  const approve = new URL(url);
  approve.searchParams.set("fake_id", account.id);
  approve.searchParams.set("fake_login", account.login ?? `login${account.id}`);
  approve.searchParams.set("fake_name", account.name ?? "");
  approve.searchParams.set("fake_email", account.email ?? "");
  if (account.verified) approve.searchParams.set("fake_verified", "1");
  const response = await fetch(approve, { redirect: "manual" });
  await response.arrayBuffer();
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`the fake provider answered ${response.status}`);
  const back = new URL(location);
  return { code: back.searchParams.get("code") ?? "", state: back.searchParams.get("state") ?? "" };
}

/** Posts the provider's answer to the callback route, as the web app's callback page does. */
export function finishSignIn(
  provider: string,
  answer: { code: string; state: string },
  browserCookie: string,
  ip?: string,
) {
  return call("POST", `/api/v1/auth/oauth/${provider}/callback`, { body: answer, cookie: browserCookie, ip });
}

let accountCounter = 0;
/** A provider account id nobody has used yet in this run. */
export function freshProviderId(): string {
  accountCounter++;
  return `${Date.now()}${accountCounter}${Math.floor(Math.random() * 1000)}`;
}

/** Start, approve and finish in one go. */
export async function signInWithProvider(
  provider: string,
  account: ProviderAccount,
  options: { token?: string; ip?: string } = {},
) {
  const started = await startSignIn(provider, options);
  const answer = await approveAtProvider(started.url, account);
  return finishSignIn(provider, answer, started.browserCookie, options.ip);
}
