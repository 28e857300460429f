import type { Env } from "../env.ts";
import { fromBase64url } from "./crypto.ts";

/**
 * Refusing to run with example or weak secrets: anyone who has read .dev.vars.example could
 * otherwise forge access tokens and media URLs. Outside development (ENVIRONMENT is anything
 * but "development", unset included) every secret below must be set, at least 32 bytes, and not
 * an example value.
 */
const SECRETS: { name: string; required: boolean; wellFormed?: (value: string) => boolean }[] = [
  { name: "JWT_SECRET", required: true },
  { name: "STREAM_SIGNING_KEY", required: true },
  { name: "TRANSCODER_SECRET", required: true },
  { name: "APP_PASSWORD_KEY", required: false },
  // Web Push: without the pair push is off (the key route answers 503); a malformed pair is refused.
  { name: "VAPID_PUBLIC_KEY", required: false, wellFormed: (v) => base64urlBytes(v)?.[0] === 4 && v.length === 87 },
  { name: "VAPID_PRIVATE_KEY", required: false, wellFormed: (v) => base64urlBytes(v)?.length === 32 },
];

function base64urlBytes(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    return fromBase64url(value);
  } catch {
    return undefined;
  }
}

export const MIN_SECRET_BYTES = 32;

export type SecretProblem = { name: string; problem: "missing" | "too_short" | "example_value" | "malformed" };

/** Every example value ships with this marker (see .dev.vars.example); so do placeholders. */
function looksLikeExample(value: string): boolean {
  const lower = value.toLowerCase();
  return lower.startsWith("dev-only-") || lower.includes("change-me") || lower.includes("changeme");
}

export function isDevelopment(env: Pick<Env, "ENVIRONMENT">): boolean {
  return env.ENVIRONMENT === "development";
}

/** What is wrong with the secrets, by name only (never a value); empty when fine or in development. */
export function secretProblems(env: Env): SecretProblem[] {
  if (isDevelopment(env)) return [];
  const problems: SecretProblem[] = [];
  for (const { name, required, wellFormed } of SECRETS) {
    const value = (env as unknown as Record<string, unknown>)[name];
    if (typeof value !== "string" || value === "") {
      if (required) problems.push({ name, problem: "missing" });
    } else if (looksLikeExample(value)) {
      problems.push({ name, problem: "example_value" });
    } else if (new TextEncoder().encode(value).length < MIN_SECRET_BYTES) {
      problems.push({ name, problem: "too_short" });
    } else if (wellFormed && !wellFormed(value)) {
      problems.push({ name, problem: "malformed" });
    }
  }
  problems.push(...emailProblems(env));
  return problems;
}

/** With EMAIL_TRANSPORT = "http" the provider's address and token must be set (no length rule: providers' tokens vary). */
function emailProblems(env: Env): SecretProblem[] {
  if (env.EMAIL_TRANSPORT !== "http") return [];
  const problems: SecretProblem[] = [];
  if (!env.EMAIL_HTTP_URL) problems.push({ name: "EMAIL_HTTP_URL", problem: "missing" });
  if (!env.EMAIL_HTTP_TOKEN) problems.push({ name: "EMAIL_HTTP_TOKEN", problem: "missing" });
  return problems;
}
