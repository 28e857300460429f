import { argon2id } from "@noble/hashes/argon2.js";

/** OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
export const DEFAULT_ARGON2 = { m: 19 * 1024, t: 2, p: 1 } as const;
export type Argon2Params = { m: number; t: number; p: number };

const HASH_BYTES = 32;
const SALT_BYTES = 16;
const encoder = new TextEncoder();

export function argon2ParamsFrom(memoryKib: string | undefined): Argon2Params {
  const m = Number(memoryKib);
  return Number.isInteger(m) && m >= 8 ? { ...DEFAULT_ARGON2, m } : { ...DEFAULT_ARGON2 };
}

/** Hashes a password into a PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
export function hashPassword(password: string, params: Argon2Params): string {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = argon2id(encoder.encode(password), salt, { ...params, dkLen: HASH_BYTES });
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

type ParsedPhc = { params: Argon2Params; salt: Uint8Array; hash: Uint8Array };

export function parsePhc(phc: string): ParsedPhc | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) return null;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  return { params: { m: Number(m), t: Number(t), p: Number(p) }, salt: unb64(salt), hash: unb64(hash) };
}

/** Checks a password; `needsRehash` says the stored hash used other parameters than the current ones. */
export function verifyPassword(
  password: string,
  phc: string,
  current: Argon2Params,
): { ok: boolean; needsRehash: boolean } {
  const parsed = parsePhc(phc);
  if (!parsed) return { ok: false, needsRehash: false };
  const candidate = argon2id(encoder.encode(password), parsed.salt, {
    ...parsed.params,
    dkLen: parsed.hash.length,
  });
  const ok = constantTimeEqual(candidate, parsed.hash);
  const p = parsed.params;
  return { ok, needsRehash: ok && (p.m !== current.m || p.t !== current.t || p.p !== current.p) };
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
}

function unb64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
