import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { users } from "../db/schema/index.ts";
import { notFound } from "../shared/errors.ts";
import { commonErrors, createRouter, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { currentUser, requireUser } from "./middleware.ts";
import { SelfUserSchema, UpdateMeBody } from "./schemas.ts";
import { findUserById, toSelfUser } from "./users.ts";

const getMe = createRoute({
  method: "get",
  path: "/me",
  tags: ["me"],
  middleware: [requireUser] as const,
  responses: { 200: jsonResponse(SelfUserSchema, "The signed-in user"), ...commonErrors },
});

const patchMe = createRoute({
  method: "patch",
  path: "/me",
  tags: ["me"],
  middleware: [requireUser] as const,
  request: jsonBody(UpdateMeBody),
  responses: { 200: jsonResponse(SelfUserSchema, "The updated user"), ...commonErrors },
});

export const meRoutes = createRouter()
  .openapi(getMe, async (c) => {
    const row = await findUserById(c.env.DB, currentUser(c).id);
    if (!row) throw notFound("User");
    return c.json(toSelfUser(row), 200);
  })
  .openapi(patchMe, async (c) => {
    const changes = c.req.valid("json");
    const row = await getDb(c.env.DB)
      .update(users)
      .set({ ...changes, updatedAt: Date.now() })
      .where(eq(users.id, currentUser(c).id))
      .returning()
      .get();
    return c.json(toSelfUser(row), 200);
  });
