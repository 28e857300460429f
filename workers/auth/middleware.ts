import { createMiddleware } from "hono/factory";
import type { Role } from "../db/schema/index.ts";
import type { AppBindings } from "../env.ts";
import { forbidden, unauthenticated } from "../shared/errors.ts";
import { findSessionUser } from "./sessions.ts";
import { verifyAccessToken } from "./tokens.ts";

export type AuthUser = { id: string; username: string; role: Role; displayName: string };

async function authenticate(c: Parameters<Parameters<typeof createMiddleware<AppBindings>>[0]>[0]) {
  const header = c.req.header("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthenticated("The Authorization header must be 'Bearer <token>'.");
  const claims = await verifyAccessToken(c.env, match[1]);
  if (!claims) throw unauthenticated("The access token is invalid or expired.");
  // The token version voids every token of a user at once (password change, disable) with no
  // clock involved; the session check voids one device's tokens on logout.
  const found = await findSessionUser(c.env.DB, claims.sub, claims.sid);
  const row = found?.user;
  if (!row || !found.sessionAlive || row.status !== "active" || row.tokenVersion !== claims.ver) {
    throw unauthenticated("This session has ended. Sign in again.");
  }
  const user: AuthUser = { id: row.id, username: row.username, role: row.role, displayName: row.displayName };
  c.set("user", user);
  c.set("sessionId", claims.sid);
  return user;
}

/** Sets `user` when a valid access token is present; refuses a bad one, allows none. */
export const optionalUser = createMiddleware<AppBindings>(async (c, next) => {
  await authenticate(c);
  await next();
});

export const requireUser = createMiddleware<AppBindings>(async (c, next) => {
  if (!(await authenticate(c))) throw unauthenticated();
  await next();
});

export function requireRole(...roles: Role[]) {
  return createMiddleware<AppBindings>(async (c, next) => {
    const user = c.get("user") ?? (await authenticate(c));
    if (!user) throw unauthenticated();
    if (!roles.includes(user.role)) throw forbidden(`This needs the ${roles.join(" or ")} role.`);
    await next();
  });
}

/** The signed-in user inside a route behind requireUser. */
export function currentUser(c: { get(key: "user"): AuthUser | undefined }): AuthUser {
  const user = c.get("user");
  if (!user) throw unauthenticated();
  return user;
}
