import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppBindings } from "../env.ts";
import { log } from "./log.ts";

export const REQUEST_ID_HEADER = "x-request-id";
/** An incoming id is kept when it is short and plain (no spaces, quotes or control characters). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFor(incoming: string | undefined): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** The pattern of the route that answered ("/api/v1/tracks/:id"), not the path (no ids or names in logs). */
function routePattern(c: Context): string | null {
  const handler = matchedRoutes(c).findLast((route) => route.method !== "ALL");
  return handler?.path ?? null;
}

/**
 * Gives every request an id (`c.var.requestId`, echoed in `x-request-id`) and logs one line when it
 * is answered: id, method, route pattern, status, duration and the signed-in user's id.
 */
export function requestLog(): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const requestId = requestIdFor(c.req.header(REQUEST_ID_HEADER));
    c.set("requestId", requestId);
    const started = Date.now();
    await next();
    const status = c.res.status;
    // A WebSocket upgrade's 101 response (from a Durable Object) has immutable headers.
    if (status !== 101) {
      try {
        c.res.headers.set(REQUEST_ID_HEADER, requestId);
      } catch {
        // Headers of a response passed through from fetch() or the Cache API are immutable.
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set(REQUEST_ID_HEADER, requestId);
      }
    }
    log(status >= 500 ? "error" : "info", "request", {
      requestId,
      method: c.req.method,
      route: routePattern(c),
      status,
      durationMs: Date.now() - started,
      userId: c.get("viewer")?.id ?? null,
    });
  };
}
