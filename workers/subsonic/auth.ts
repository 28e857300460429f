import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import {
  type AppLogin,
  appLoginOf,
  findUserByApiKey,
  markApiKeyUsed,
  markAppPasswordUsed,
} from "../auth/app-credentials.ts";
import { beginGuardedAttempt, enforceRateLimit } from "../auth/rate-limit.ts";
import type { AuthUser } from "../auth/types.ts";
import { toAuthUser } from "../auth/users.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import { SubsonicCode, SubsonicError } from "./envelope.ts";
import type { Params } from "./params.ts";

/**
 * Who is calling: by `apiKey` (OpenSubsonic), by `u` + `t` + `s` (token = md5(app password + salt))
 * or by `u` + `p` (an app password, plain or `enc:` hex). The account password is never accepted:
 * Veza keeps only its argon2id hash, and an app password can be revoked on its own.
 */

const HELP_PATH = "/settings/apps";
/** Recording every request as a use would write to D1 on each call; this is precise enough for settings. */
const LAST_USED_RESOLUTION_MS = 10 * 60 * 1000;

const encoder = new TextEncoder();

function sameText(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function decodePassword(p: string): string | undefined {
  if (!p.startsWith("enc:")) return p;
  const hex = p.slice(4);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

export type Caller = { user: AuthUser; waitUntil?: Promise<void> };

type Attempt = { ip: string; env: Env; params: Params; helpUrl: string };

export async function authenticate(env: Env, params: Params, ip: string, origin: string): Promise<Caller> {
  const attempt: Attempt = { ip, env, params, helpUrl: origin + HELP_PATH };
  const apiKey = params.get("apiKey");
  const username = params.get("u");
  if (params.has("jwt")) {
    throw new SubsonicError(
      SubsonicCode.mechanismNotSupported,
      "JWT authentication is not supported; use an API key.",
      {
        helpUrl: attempt.helpUrl,
      },
    );
  }
  if (apiKey !== undefined) {
    if (username !== undefined || params.has("p") || params.has("t")) {
      throw new SubsonicError(
        SubsonicCode.conflictingMechanisms,
        "Multiple conflicting authentication mechanisms provided.",
      );
    }
    return byApiKey(attempt, apiKey);
  }
  if (!username) throw new SubsonicError(SubsonicCode.missingParameter, "Required parameter 'u' is missing.");
  const token = params.get("t");
  const salt = params.get("s");
  const password = params.get("p");
  if (password !== undefined && token !== undefined) {
    throw new SubsonicError(
      SubsonicCode.conflictingMechanisms,
      "Multiple conflicting authentication mechanisms provided.",
    );
  }
  if (token !== undefined) {
    if (!salt) throw new SubsonicError(SubsonicCode.missingParameter, "Required parameter 's' is missing.");
    return byToken(attempt, username, token.toLowerCase(), salt);
  }
  if (password === undefined) {
    throw new SubsonicError(SubsonicCode.missingParameter, "Required parameter 'p' (or 't' and 's') is missing.");
  }
  return byPassword(attempt, username, decodePassword(password));
}

async function byApiKey(attempt: Attempt, key: string): Promise<Caller> {
  const found = await findUserByApiKey(attempt.env, key);
  if (!found || found.user.status !== "active") {
    await countFailure(attempt, undefined);
    throw new SubsonicError(SubsonicCode.invalidApiKey, "Invalid API key.", { helpUrl: attempt.helpUrl });
  }
  const stale = (found.lastUsedAt ?? 0) < Date.now() - LAST_USED_RESOLUTION_MS;
  return { user: authUser(found.user), waitUntil: stale ? markApiKeyUsed(attempt.env, found.keyId) : undefined };
}

async function byToken(attempt: Attempt, username: string, token: string, salt: string): Promise<Caller> {
  const login = await activeLogin(attempt, username);
  if (login && login.passwords.length === 0) {
    await countFailure(attempt, username);
    throw new SubsonicError(
      SubsonicCode.tokenAuthNotSupported,
      "Token authentication needs an app password: create one in Veza's settings (Connected apps).",
      { helpUrl: attempt.helpUrl },
    );
  }
  const match = login?.passwords.find((p) => sameText(bytesToHex(md5(encoder.encode(p.password + salt))), token));
  return accepted(attempt, username, login, match);
}

async function byPassword(attempt: Attempt, username: string, password: string | undefined): Promise<Caller> {
  const login = await activeLogin(attempt, username);
  const match = password === undefined ? undefined : login?.passwords.find((p) => sameText(p.password, password));
  return accepted(attempt, username, login, match);
}

async function activeLogin(attempt: Attempt, username: string): Promise<AppLogin | undefined> {
  const login = await appLoginOf(attempt.env, username);
  return login?.user.status === "active" ? login : undefined;
}

async function accepted(
  attempt: Attempt,
  username: string,
  login: AppLogin | undefined,
  match: AppLogin["passwords"][number] | undefined,
): Promise<Caller> {
  if (!login || !match) {
    await countFailure(attempt, username);
    throw new SubsonicError(
      SubsonicCode.wrongCredentials,
      "Wrong username or password. Use an app password from Veza's settings (Connected apps), not your account password.",
      { helpUrl: attempt.helpUrl },
    );
  }
  const stale = (match.lastUsedAt ?? 0) < Date.now() - LAST_USED_RESOLUTION_MS;
  return { user: authUser(login.user), waitUntil: stale ? markAppPasswordUsed(attempt.env, match.id) : undefined };
}

/**
 * Counts a failed sign-in against the same limits as the API's login (per IP, per account). Only
 * failures are counted: app passwords and keys are random (≥ 99 bits), so they cannot be guessed
 * within any limit, and refusing a right password after someone else's failures would let anyone
 * lock a listener out of their apps.
 */
async function countFailure(attempt: Attempt, username: string | undefined): Promise<void> {
  try {
    await enforceRateLimit(attempt.env, "login:ip", attempt.ip);
    // The account's backoff (as the API's login): a failure is an attempt never marked as succeeded.
    if (username) await beginGuardedAttempt(attempt.env, "login:account", username);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 429) throw error;
    throw new SubsonicError(SubsonicCode.generic, error.message, { httpStatus: 429, headers: error.headers });
  }
}

function authUser(row: AppLogin["user"]): AuthUser {
  return toAuthUser(row);
}
