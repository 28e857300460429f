import { jwtVerify, SignJWT } from "jose";
import type { Role } from "../db/schema/index.ts";
import type { Env } from "../env.ts";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const encoder = new TextEncoder();

/** `sid`: the session (refresh family) the token was issued to; `ver`: the user's token version then. */
export type AccessClaims = { sub: string; role: Role; ver: number; sid: string };

export async function issueAccessToken(env: Env, claims: AccessClaims, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ role: claims.role, ver: claims.ver, sid: claims.sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(encoder.encode(env.JWT_SECRET));
}

/** Verifies signature (HS256 only: `alg: none` and others are refused), issuer, audience and expiry. */
export async function verifyAccessToken(env: Env, token: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(env.JWT_SECRET), {
      algorithms: ["HS256"],
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
    });
    if (typeof payload.sub !== "string" || typeof payload.ver !== "number" || typeof payload.sid !== "string") {
      return null;
    }
    return { sub: payload.sub, role: payload.role as Role, ver: payload.ver, sid: payload.sid };
  } catch {
    return null;
  }
}
