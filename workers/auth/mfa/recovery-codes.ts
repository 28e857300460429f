import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { recoveryCodes } from "../../db/schema/index.ts";
import { sha256Hex } from "../../shared/crypto.ts";
import { newId } from "../../shared/ids.ts";

export const RECOVERY_CODE_COUNT = 10;

// No look-alike characters (0/o, 1/l/i): these are read off paper and typed by hand.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** 10 characters (about 49 bits) as `xxxxx-xxxxx`: far beyond guessing, and only 10 tries of it matter. */
function newRecoveryCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const hashOf = (code: string) => sha256Hex(`recovery:${normalizeRecoveryCode(code)}`);

/** Replaces the user's recovery codes with ten new ones (returned in clear this once; hashes stored). */
export async function replaceRecoveryCodes(d1: D1Database, userId: string, now = Date.now()): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const rows = await Promise.all(
    codes.map(async (code) => ({ id: newId(now), userId, codeHash: await hashOf(code), createdAt: now })),
  );
  const db = getDb(d1);
  await db.batch([
    db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
    db.insert(recoveryCodes).values(rows),
  ]);
  return codes;
}

/** Uses up a recovery code: true once per code, false for an unknown or already used one. */
export async function spendRecoveryCode(d1: D1Database, userId: string, code: string, now = Date.now()) {
  const used = await getDb(d1)
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, await hashOf(code)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

export async function recoveryCodesLeft(d1: D1Database, userId: string): Promise<number> {
  return getDb(d1).$count(recoveryCodes, and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
}

export async function deleteRecoveryCodes(d1: D1Database, userId: string): Promise<void> {
  await getDb(d1).delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}
