import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../env.ts";
import { errorBody } from "../shared/errors.ts";
import { createRouter, endpoint, errorResponse, jsonResponse } from "../shared/openapi.ts";
import { isDevelopment } from "../shared/secrets-check.ts";
import { outboxFor } from "./outbox.ts";

const OutboxItemSchema = z
  .object({ to: z.string(), subject: z.string(), text: z.string(), html: z.string(), sentAt: z.string() })
  .openapi("OutboxItem");

/** Outside development the outbox does not exist: the same 404 as any unknown path. */
const developmentOnly = createMiddleware<AppBindings>(async (c, next) => {
  if (!isDevelopment(c.env)) return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);
  await next();
});

const getOutbox = createRoute({
  ...endpoint("get", "/dev/outbox", "development"),
  description: "Mail the development server kept instead of sending (only where ENVIRONMENT is development).",
  middleware: [developmentOnly] as const,
  // Not part of the public API document: the route exists on development servers only.
  hide: true,
  request: { query: z.object({ to: z.string().trim().min(1).max(254).optional() }) },
  responses: {
    200: jsonResponse(z.object({ items: z.array(OutboxItemSchema) }), "Newest first, at most 100"),
    400: errorResponse("The request is not valid"),
    404: errorResponse("Not a development server"),
  },
});

export const outboxRoutes = createRouter().openapi(getOutbox, async (c) => {
  const { to } = c.req.valid("query");
  return c.json({ items: await outboxFor(c.env.DB, to) }, 200);
});
