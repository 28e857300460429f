import { inArray } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { oauthIdentities, users } from "../../db/schema/index.ts";
import { randomToken } from "../../shared/crypto.ts";
import { newId } from "../../shared/ids.ts";
import { DisplayName, Username } from "../schemas.ts";
import type { UserRow } from "../users.ts";
import type { ProviderId, ProviderProfile } from "./providers.ts";

const BASE_MAX = 20;

/**
 * A valid username made from a provider's login or name: accents dropped, anything else turned into
 * underscores, then checked by the same rules as sign-up (length, characters, reserved names).
 */
export function usernameBase(hint: string): string {
  const folded = hint
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "")
    .slice(0, BASE_MAX)
    .replace(/_$/, "");
  for (const candidate of [folded, `listener_${folded}`.slice(0, BASE_MAX).replace(/_$/, "")]) {
    if (Username.safeParse(candidate).success) return candidate;
  }
  return "listener";
}

/** The base itself, then the base with a short number, then one with a long random tail (never taken). */
function usernameCandidates(base: string): string[] {
  const numbered = Array.from({ length: 6 }, () => `${base}_${Math.floor(Math.random() * 9000) + 1000}`);
  return [
    base,
    ...numbered,
    `${base}_${randomToken(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")}`,
  ];
}

async function freeUsername(d1: D1Database, hint: string): Promise<string> {
  const candidates = usernameCandidates(usernameBase(hint));
  const taken = new Set(
    (
      await getDb(d1).select({ username: users.username }).from(users).where(inArray(users.username, candidates)).all()
    ).map((row) => row.username),
  );
  return candidates.find((name) => !taken.has(name)) ?? (candidates.at(-1) as string);
}

/**
 * Creates an account for someone signing in with a provider for the first time, together with the
 * identity that signs in to it (one batch: never an account nobody can sign in to). The account has
 * no password ("" never verifies); a password can be set later by a password reset.
 */
export async function createProviderAccount(
  d1: D1Database,
  providerId: ProviderId,
  profile: ProviderProfile,
  email: string,
): Promise<UserRow> {
  const db = getDb(d1);
  const username = await freeUsername(d1, profile.login || email.split("@")[0] || "");
  const displayName = DisplayName.safeParse(profile.displayName ?? "");
  const now = Date.now();
  const userId = newId(now);
  const [inserted] = await db.batch([
    db
      .insert(users)
      .values({
        id: userId,
        email,
        username,
        displayName: displayName.success ? displayName.data : username,
        passwordHash: "",
        // The provider vouches for the address: no verification link needed.
        emailVerifiedAt: profile.emailVerified ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
    db.insert(oauthIdentities).values({
      id: newId(now),
      userId,
      provider: providerId,
      providerUserId: profile.id,
      label: profile.login || email,
      email,
      createdAt: now,
      lastUsedAt: now,
    }),
  ]);
  return inserted[0] as UserRow;
}
