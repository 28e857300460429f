import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../db/schema/index.ts";
import type { AppBindings } from "../env.ts";
import { forbidden, unauthenticated } from "../shared/errors.ts";
import { findSessionUser } from "./sessions.ts";
import { verifyAccessToken } from "./tokens.ts";
import type { AuthUser } from "./types.ts";
import { toAuthUser } from "./users.ts";

/** The env of a route behind requireUser or requireRole: `c.var.viewer` is always set. */
type SignedInBindings = AppBindings & { Variables: { viewer: AuthUser } };

/** The user of a valid access token; undefined without a token; 401 for a bad or ended one. */
async function authenticate(c: Context<AppBindings>): Promise<{ user: AuthUser; sessionId: string } | undefined> {
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
  return { user: toAuthUser(row), sessionId: claims.sid };
}

function signIn(c: Context<AppBindings>, { user, sessionId }: { user: AuthUser; sessionId: string }) {
  c.set("viewer", user);
  c.set("sessionId", sessionId);
}

/** Sets `c.var.viewer` when a valid access token is present; refuses a bad one, allows none. */
export const optionalUser = createMiddleware<AppBindings>(async (c, next) => {
  const signedIn = await authenticate(c);
  if (signedIn) signIn(c, signedIn);
  await next();
});

export const requireUser = createMiddleware<SignedInBindings>(async (c, next) => {
  const signedIn = await authenticate(c as unknown as Context<AppBindings>);
  if (!signedIn) throw unauthenticated();
  signIn(c as unknown as Context<AppBindings>, signedIn);
  await next();
});

export function requireRole(...roles: Role[]) {
  return createMiddleware<SignedInBindings>(async (c, next) => {
    let user = c.get("viewer");
    if (!user) {
      const signedIn = await authenticate(c as unknown as Context<AppBindings>);
      if (!signedIn) throw unauthenticated();
      signIn(c as unknown as Context<AppBindings>, signedIn);
      user = signedIn.user;
    }
    if (!roles.includes(user.role)) throw forbidden(`This needs the ${roles.join(" or ")} role.`);
    await next();
  });
}
