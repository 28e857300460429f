import { createRoute } from "@hono/zod-openapi";
import { notFound } from "../shared/errors.ts";
import { createRouter, endpoint, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { signedIn } from "./route-presets.ts";
import { SelfUserSchema, UpdateMeBody } from "./schemas.ts";
import { findUserById, toSelfUser, updateProfile } from "./users.ts";

const getMe = createRoute({
  ...endpoint("get", "/me", "me"),
  ...signedIn({ 200: jsonResponse(SelfUserSchema, "The signed-in user") }),
});

const patchMe = createRoute({
  ...endpoint("patch", "/me", "me"),
  request: jsonBody(UpdateMeBody),
  ...signedIn({ 200: jsonResponse(SelfUserSchema, "The updated user") }),
});

export const meRoutes = createRouter()
  .openapi(getMe, async (c) => {
    const row = await findUserById(c.env.DB, c.var.viewer.id);
    if (!row) throw notFound("User");
    return c.json(toSelfUser(row), 200);
  })
  .openapi(patchMe, async (c) => {
    const row = await updateProfile(c.var.db, c.var.viewer.id, c.req.valid("json"));
    if (!row) throw notFound("User");
    return c.json(toSelfUser(row), 200);
  });
