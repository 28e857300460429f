import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";

const BASE = "https://veza.test";
let ipCounter = 0;

/** A distinct client IP per call site, so per-IP rate limits do not leak between tests. */
export function freshIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export type CallOptions = {
  body?: unknown;
  rawBody?: BodyInit;
  token?: string;
  cookie?: string;
  ip?: string;
  headers?: Record<string, string>;
};

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.cookie) headers.set("cookie", options.cookie);
  headers.set("cf-connecting-ip", options.ip ?? freshIp());
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return SELF.fetch(`${BASE}${path}`, { method, headers, body });
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** `name=value` of the refresh cookie a response set, for sending back. */
export function refreshCookieOf(response: Response): string | undefined {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("veza_refresh="));
  return setCookie?.split(";")[0];
}

let userCounter = 0;

export type TestUser = { id: string; username: string; email: string; password: string; token: string; cookie: string };

/**
 * Registers a fresh user through the API and returns its credentials. The address counts as
 * verified (as if the mailed link had been opened) unless `verified: false`: uploads, comments and
 * chat need it, and most tests are about something else.
 */
export async function registerUser(
  overrides: Partial<{
    username: string;
    email: string;
    password: string;
    displayName: string;
    verified: boolean;
  }> = {},
): Promise<TestUser> {
  userCounter++;
  const tag = `${Date.now().toString(36)}${userCounter}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const username = overrides.username ?? `user_${tag}`;
  const email = overrides.email ?? `${username}@example.test`;
  const password = overrides.password ?? "correct horse battery staple";
  const response = await call("POST", "/api/v1/auth/register", {
    body: { username, email, password, displayName: overrides.displayName },
  });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${await response.text()}`);
  const body = await json(response);
  if (overrides.verified !== false) {
    await env.DB.prepare("UPDATE users SET email_verified_at = ?1 WHERE id = ?2").bind(Date.now(), body.user.id).run();
  }
  return {
    id: body.user.id,
    username,
    email,
    password,
    token: body.accessToken,
    cookie: refreshCookieOf(response) ?? "",
  };
}

export function expectErrorEnvelope(body: any, code?: string) {
  if (typeof body?.error?.code !== "string" || typeof body?.error?.message !== "string") {
    throw new Error(`not an error envelope: ${JSON.stringify(body)}`);
  }
  if (code && body.error.code !== code) throw new Error(`expected error code ${code}, got ${body.error.code}`);
}
