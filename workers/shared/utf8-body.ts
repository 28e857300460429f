import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../env.ts";
import { errorBody } from "./errors.ts";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Refuses a JSON body whose bytes are not valid UTF-8. `Request.json()` decodes leniently and would
 * store U+FFFD in place of the bad bytes; a client sending Latin-1 should hear about it instead.
 * Hono caches the bytes read here, so the route's validator parses them without a second read.
 */
export const requireUtf8JsonBody = createMiddleware<AppBindings>(async (c, next) => {
  if (!c.req.header("content-type")?.includes("json")) return next();
  const bytes = await c.req.arrayBuffer();
  try {
    strictUtf8.decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return c.json(errorBody("malformed_request", "The request body is not valid UTF-8."), 400);
  }
  // Routes that stream the raw body on (the transcoder's waveform.json PUT) still get it whole.
  c.req.raw = new Request(c.req.raw, { body: bytes });
  return next();
});
