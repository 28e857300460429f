import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { accountAdminRoutes } from "./auth/account-admin-routes.ts";
import { accountDataRoutes } from "./auth/account-data/routes.ts";
import { avatarRoutes } from "./auth/avatar-routes.ts";
import { credentialsRoutes } from "./auth/credential-routes.ts";
import { emailRoutes } from "./auth/email-routes.ts";
import { meRoutes } from "./auth/me-routes.ts";
import { passkeyRoutes } from "./auth/mfa/passkey-routes.ts";
import { twoFactorRoutes } from "./auth/mfa/two-factor-routes.ts";
import { oauthRoutes } from "./auth/oauth/oauth-routes.ts";
import { BEARER_SCHEME } from "./auth/route-presets.ts";
import { authRoutes } from "./auth/routes.ts";
import { sessionRoutes } from "./auth/session-routes.ts";
import { recordAdminActions } from "./catalog/admin.ts";
import { catalogRoutes } from "./catalog/routes.ts";
import { chatRoutes } from "./chat/routes.ts";
import { getDb } from "./db/client.ts";
import { outboxRoutes } from "./email/outbox-routes.ts";
import type { AppBindings } from "./env.ts";
import { liveRoutes } from "./live/routes.ts";
import { mediaRoutes } from "./media/routes.ts";
import { notificationRoutes } from "./notifications/notification-routes.ts";
import { pushRoutes } from "./notifications/push/routes.ts";
import { opsRoutes } from "./ops/routes.ts";
import { ApiError, errorBody } from "./shared/errors.ts";
import { errorFields, log } from "./shared/log.ts";
import { createRouter, jsonResponse } from "./shared/openapi.ts";
import { requestLog } from "./shared/request-log.ts";
import { secretProblems } from "./shared/secrets-check.ts";
import { requireUtf8JsonBody } from "./shared/utf8-body.ts";
import { subsonicRoutes } from "./subsonic/routes.ts";

const JSON_BODY_LIMIT = 1024 * 1024;

const SecretProblemSchema = z.object({
  name: z.string(),
  problem: z.enum(["missing", "too_short", "example_value", "malformed"]),
});

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  responses: {
    200: jsonResponse(z.object({ ok: z.literal(true), version: z.string() }), "The API is up"),
    503: jsonResponse(
      z.object({ ok: z.literal(false), version: z.string(), problems: z.array(SecretProblemSchema) }),
      "Refusing to serve: secrets are missing, short or the examples (names only, never values)",
    ),
  },
});

const api = createRouter();
api.use(async (c, next) => {
  c.set("db", getDb(c.env.DB));
  await next();
});

// Routers are grouped: one more top-level .route() would exceed the depth at which TypeScript
// still resolves the typed client's routes for web/. Accounts' moderation and the operators' dashboard:
const adminRoutes = createRouter().route("/", accountAdminRoutes).route("/", opsRoutes);
// The same for the account's own routers (a new account feature adds its router here) and for the
// live channel, chat and what rides on them.
const accountRoutes = createRouter()
  .route("/", authRoutes)
  .route("/", meRoutes)
  .route("/", avatarRoutes)
  .route("/", credentialsRoutes)
  .route("/", sessionRoutes)
  .route("/", oauthRoutes)
  .route("/", accountDataRoutes)
  .route("/", emailRoutes)
  .route("/", outboxRoutes)
  .route("/", twoFactorRoutes)
  .route("/", passkeyRoutes);
const realtimeRoutes = createRouter()
  .route("/", liveRoutes)
  .route("/", chatRoutes)
  .route("/", pushRoutes)
  .route("/", notificationRoutes);

const apiRoutes = api
  .openapi(health, (c) => {
    const problems = secretProblems(c.env);
    if (problems.length > 0) return c.json({ ok: false as const, version: c.env.APP_VERSION, problems }, 503);
    return c.json({ ok: true as const, version: c.env.APP_VERSION }, 200);
  })
  .route("/", accountRoutes)
  .route("/", adminRoutes)
  .route("/", catalogRoutes)
  .route("/", mediaRoutes)
  .route("/", realtimeRoutes);

const app = createRouter();

app.use("*", requestLog());
// Outside development, nothing but the health check answers while a secret is missing, short or an
// example value: with the examples anyone could forge sessions and media URLs.
const refuseWhenMisconfigured = createMiddleware<AppBindings>(async (c, next) => {
  if (c.req.path === "/api/v1/health") return next();
  const problems = secretProblems(c.env);
  if (problems.length === 0) return next();
  return c.json(
    errorBody(
      "server_misconfigured",
      "This server is not configured safely (see /api/v1/health); it refuses to serve until its secrets are set.",
      { secrets: problems.map((p) => p.name) },
    ),
    503,
  );
});
app.use("/api/*", refuseWhenMisconfigured);
app.use("/rest/*", refuseWhenMisconfigured);

const apiSecureHeaders = secureHeaders({ crossOriginResourcePolicy: "same-origin" });
// A WebSocket upgrade's 101 response (from a Durable Object) has immutable headers: leave it alone.
app.use("/api/*", (c, next) => (c.req.header("upgrade") ? next() : apiSecureHeaders(c, next)));
app.use("/api/*", async (c, next) => {
  if (!c.req.header("content-type")?.includes("json")) return next();
  return bodyLimit({
    maxSize: JSON_BODY_LIMIT,
    onError: (c) => c.json(errorBody("payload_too_large", "The JSON body is larger than 1 MiB."), 413),
  })(c, next);
});

app.use("/api/*", requireUtf8JsonBody);

app.use("/api/*", recordAdminActions);

app.onError((error, c) => {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
    return c.json(errorBody(error.code, error.message, error.details), error.status);
  }
  if (error instanceof HTTPException) {
    const malformed = error.status === 400;
    return c.json(
      errorBody(
        malformed ? "malformed_request" : "http_error",
        malformed ? "The request body is not valid JSON." : error.message || "The request failed.",
      ),
      error.status,
    );
  }
  log("error", "request.error", { requestId: c.get("requestId"), method: c.req.method, ...errorFields(error) });
  return c.json(errorBody("internal_error", "Something went wrong on our side. Please try again."), 500);
});

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404));

const routes = app.route("/api/v1", apiRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", BEARER_SCHEME, {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description: "An access token from POST /api/v1/auth/login, /register or /refresh.",
});
app.route("/rest", subsonicRoutes);

app.doc31("/api/v1/openapi.json", (c) => ({
  openapi: "3.1.0",
  info: { title: "Veza Edge API", version: c.env.APP_VERSION },
}));

export type AppType = typeof routes;
export default app;
