import { createRoute } from "@hono/zod-openapi";
import { imageBody, imageErrors, imageResponse, storeImage } from "../media/images.ts";
import { avatarKey } from "../media/keys.ts";
import { serveObject } from "../media/serve.ts";
import { notFound } from "../shared/errors.ts";
import { createRouter, endpoint, IdParams, jsonResponse } from "../shared/openapi.ts";
import { signedIn } from "./route-presets.ts";
import { SelfUserSchema } from "./schemas.ts";
import { findUserById, setAvatarKey, toSelfUser } from "./users.ts";

const putAvatar = createRoute({
  ...endpoint("put", "/me/avatar", "me"),
  request: imageBody,
  ...signedIn({ 200: jsonResponse(SelfUserSchema, "The user with the new avatar"), ...imageErrors }),
});

const getAvatar = createRoute({
  ...endpoint("get", "/users/{id}/avatar", "media"),
  request: { params: IdParams },
  responses: imageResponse,
});

/** The signed-in user's avatar (stored in R2 by media/images.ts) and anyone's, by user id. */
export const avatarRoutes = createRouter()
  .openapi(putAvatar, async (c) => {
    const user = c.var.viewer;
    await storeImage(c.env, avatarKey(user.id), c.req.raw);
    const row = await setAvatarKey(c.env.DB, user.id, avatarKey(user.id));
    if (!row) throw notFound("User");
    return c.json(toSelfUser(row), 200);
  })
  .openapi(getAvatar, async (c) => {
    const user = await findUserById(c.env.DB, c.req.valid("param").id);
    if (!user?.avatarKey || user.status !== "active") throw notFound("Avatar");
    return serveObject(c.env.MEDIA, user.avatarKey, c.req.raw, { cacheControl: "public, max-age=86400" });
  });
