import type { RouteConfig } from "@hono/zod-openapi";
import { commonErrors, errorResponse } from "../shared/openapi.ts";
import { optionalUser, requireRole, requireUser } from "./middleware.ts";

/**
 * Route presets: spread one into `createRoute` to set, together, the auth middleware, the OpenAPI
 * `security` requirement (the Bearer scheme app.ts registers) and the error responses that follow
 * from them. `c.var.viewer` is then the signed-in user (`signedIn`, `adminOnly`) or the user if
 * any (`maybeSignedIn`).
 *
 *   const getThing = createRoute({ method: "get", path: "/things/{id}", request: { params: IdParams },
 *     ...maybeSignedIn({ 200: jsonResponse(ThingSchema, "The thing"), 404: errorResponse("No such thing") }) });
 */
type Responses = RouteConfig["responses"];

export const BEARER_SCHEME = "Bearer";
type Security = Array<Record<string, string[]>>;
const tokenRequired: Security = [{ [BEARER_SCHEME]: [] }];
/** An empty requirement first: the token is optional. */
const tokenOptional: Security = [{}, { [BEARER_SCHEME]: [] }];

const requireAdmin = requireRole("admin");

/** Needs a valid access token: 401 without one. */
export function signedIn<const R extends Responses>(responses: R) {
  return {
    middleware: [requireUser] as [typeof requireUser],
    security: tokenRequired,
    responses: { ...commonErrors, ...responses },
  };
}

/** Anyone; a valid access token makes the viewer known, a bad one is refused with 401. */
export function maybeSignedIn<const R extends Responses>(responses: R) {
  return {
    middleware: [optionalUser] as [typeof optionalUser],
    security: tokenOptional,
    responses: { ...commonErrors, ...responses },
  };
}

/** Needs an admin's access token: 401 without a token, 403 for anyone else. */
export function adminOnly<const R extends Responses>(responses: R) {
  return {
    middleware: [requireAdmin] as [typeof requireAdmin],
    security: tokenRequired,
    responses: { ...commonErrors, 403: errorResponse("Not an admin"), ...responses },
  };
}
