import { createRoute, z } from "@hono/zod-openapi";
import { notFound } from "../shared/errors.ts";
import { createRouter, errorResponse, jsonBody, jsonResponse, pageOf } from "../shared/openapi.ts";
import {
  createApiKey,
  createAppPassword,
  listApiKeys,
  listAppPasswords,
  revokeApiKey,
  revokeAppPassword,
} from "./app-credentials.ts";
import { signedIn } from "./route-presets.ts";

const CredentialName = z.object({ name: z.string().trim().min(1).max(60) });
const CredentialSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .openapi("AppCredential");
const CreatedAppPassword = CredentialSchema.extend({
  password: z.string().openapi({ description: "Shown this once; only an encrypted copy is kept." }),
}).openapi("CreatedAppPassword");
const CreatedApiKey = CredentialSchema.extend({
  key: z.string().openapi({ description: "Shown this once; only its hash is kept." }),
}).openapi("CreatedApiKey");
const IdParams = z.object({ id: z.string().min(1).max(64) });

function credentialRoutes<P extends string, T extends z.ZodType>(path: P, what: string, created: T) {
  return {
    create: createRoute({
      method: "post",
      path,
      tags: ["me"],
      summary: `Create ${what} for an outside app (Subsonic clients); the secret is in this response only`,
      request: jsonBody(CredentialName),
      ...signedIn({
        201: jsonResponse(created, `The new ${what}`),
        409: errorResponse("Too many of them already"),
      }),
    }),
    list: createRoute({
      method: "get",
      path,
      tags: ["me"],
      ...signedIn({ 200: jsonResponse(pageOf(CredentialSchema), `Your ${what}s, newest first`) }),
    }),
    revoke: createRoute({
      method: "delete",
      path: `${path}/{id}` as `${P}/{id}`,
      tags: ["me"],
      request: { params: IdParams },
      ...signedIn({ 204: { description: "Revoked" }, 404: errorResponse(`No such ${what}`) }),
    }),
  };
}

const appPasswordRoutes = credentialRoutes("/me/app-passwords", "app password", CreatedAppPassword);
const apiKeyRoutes = credentialRoutes("/me/api-keys", "API key", CreatedApiKey);

export const credentialsRoutes = createRouter()
  .openapi(appPasswordRoutes.create, async (c) => {
    const created = await createAppPassword(c.env, c.var.viewer.id, c.req.valid("json").name);
    return c.json(created, 201);
  })
  .openapi(appPasswordRoutes.list, async (c) =>
    c.json({ items: await listAppPasswords(c.env, c.var.viewer.id), nextCursor: null }, 200),
  )
  .openapi(appPasswordRoutes.revoke, async (c) => {
    if (!(await revokeAppPassword(c.env, c.var.viewer.id, c.req.valid("param").id))) throw notFound("App password");
    return c.body(null, 204);
  })
  .openapi(apiKeyRoutes.create, async (c) => {
    const created = await createApiKey(c.env, c.var.viewer.id, c.req.valid("json").name);
    return c.json(created, 201);
  })
  .openapi(apiKeyRoutes.list, async (c) =>
    c.json({ items: await listApiKeys(c.env, c.var.viewer.id), nextCursor: null }, 200),
  )
  .openapi(apiKeyRoutes.revoke, async (c) => {
    if (!(await revokeApiKey(c.env, c.var.viewer.id, c.req.valid("param").id))) throw notFound("API key");
    return c.body(null, 204);
  });
