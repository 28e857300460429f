import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { SelfUserSchema } from "../auth/schemas.ts";
import { findUserById, setAvatarKey, toSelfUser } from "../auth/users.ts";
import { editableTrack, viewableTrack } from "../catalog/access.ts";
import { auditIfAdminOverride } from "../catalog/admin.ts";
import { getAlbum, getEditableAlbum, setAlbumCoverKey, toAlbumResponse } from "../catalog/albums.ts";
import { AlbumSchema, TrackSchema } from "../catalog/schemas.ts";
import { getTrackWithOwner, setTrackCoverKey, toTrackResponse } from "../catalog/tracks.ts";
import { ApiError, notFound } from "../shared/errors.ts";
import { createRouter, errorResponse, IdParams, jsonResponse } from "../shared/openapi.ts";
import { readBodyCapped } from "./body.ts";
import { serveObject } from "./serve.ts";
import { sniffImage } from "./sniff.ts";

/** Cover art and avatars: one request each (JPEG, PNG or WebP, by their bytes; ≤ 5 MiB). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const imageBody = {
  body: {
    content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    description: "The raw image (JPEG, PNG or WebP), at most 5 MiB",
  },
};
const imageErrors = {
  413: errorResponse("Larger than 5 MiB"),
  415: errorResponse("Not a JPEG, PNG or WebP image"),
};
const imageResponse = {
  200: { content: { "image/*": { schema: z.string().openapi({ format: "binary" }) } }, description: "The image" },
  304: { description: "Not modified" },
  404: errorResponse("No image"),
};

const putCover = createRoute({
  method: "put",
  path: "/tracks/{id}/cover",
  tags: ["media"],
  request: { params: IdParams, ...imageBody },
  ...signedIn({
    200: jsonResponse(TrackSchema, "The track with its new cover"),
    ...imageErrors,
    403: errorResponse("Not your track"),
    404: errorResponse("No such track"),
  }),
});

const putAlbumCover = createRoute({
  method: "put",
  path: "/albums/{id}/cover",
  tags: ["media"],
  request: { params: IdParams, ...imageBody },
  ...signedIn({
    200: jsonResponse(AlbumSchema, "The album with its new cover"),
    ...imageErrors,
    403: errorResponse("Not your album"),
    404: errorResponse("No such album"),
  }),
});

const getAlbumCover = createRoute({
  method: "get",
  path: "/albums/{id}/cover",
  tags: ["media"],
  request: { params: IdParams },
  ...maybeSignedIn(imageResponse),
});

const putAvatar = createRoute({
  method: "put",
  path: "/me/avatar",
  tags: ["me"],
  request: imageBody,
  ...signedIn({ 200: jsonResponse(SelfUserSchema, "The user with the new avatar"), ...imageErrors }),
});

const getCover = createRoute({
  method: "get",
  path: "/tracks/{id}/cover",
  tags: ["media"],
  request: { params: IdParams },
  ...maybeSignedIn(imageResponse),
});

const getAvatar = createRoute({
  method: "get",
  path: "/users/{id}/avatar",
  tags: ["media"],
  request: { params: IdParams },
  responses: imageResponse,
});

/** The image in the request body, checked by size and magic bytes. */
async function readImage(request: Request) {
  const bytes = await readBodyCapped(
    request,
    MAX_IMAGE_BYTES,
    () => new ApiError(413, "file_too_large", "Images are limited to 5 MiB."),
  );
  const type = sniffImage(bytes);
  if (!type) throw new ApiError(415, "unsupported_media_type", "Send a JPEG, PNG or WebP image.");
  return { bytes, type };
}

const avatarKey = (userId: string) => `users/${userId}/avatar`;
const albumCoverKey = (albumId: string) => `albums/${albumId}/cover`;

export const imageRoutes = createRouter()
  .openapi(putCover, async (c) => {
    const db = c.var.db;
    const { track } = await editableTrack(db, c.req.valid("param").id, c.var.viewer);
    auditIfAdminOverride(c, track.ownerId, { action: "track.cover", targetType: "track", targetId: track.id });
    const { bytes, type } = await readImage(c.req.raw);
    const key = `tracks/${track.id}/cover`;
    await c.env.MEDIA.put(key, bytes, { httpMetadata: { contentType: type.mime } });
    await setTrackCoverKey(db, track.id, key);
    const found = await getTrackWithOwner(db, track.id);
    if (!found) throw notFound("Track");
    return c.json(toTrackResponse(found.track, found.owner), 200);
  })
  .openapi(putAvatar, async (c) => {
    const user = c.var.viewer;
    const { bytes, type } = await readImage(c.req.raw);
    await c.env.MEDIA.put(avatarKey(user.id), bytes, { httpMetadata: { contentType: type.mime } });
    const row = await setAvatarKey(c.env.DB, user.id, avatarKey(user.id));
    if (!row) throw notFound("User");
    return c.json(toSelfUser(row), 200);
  })
  .openapi(getCover, async (c) => {
    const { track } = await viewableTrack(c.var.db, c.req.valid("param").id, c.var.viewer);
    // Only keys inside the track's own folder: the user's upload or the transcoder's embedded art.
    if (!track.coverKey?.startsWith(`tracks/${track.id}/`)) throw notFound("Cover");
    const cacheControl = track.visibility === "private" ? "private, max-age=300" : "public, max-age=300";
    return serveObject(c.env.MEDIA, track.coverKey, c.req.raw, { cacheControl });
  })
  .openapi(putAlbumCover, async (c) => {
    const db = c.var.db;
    const { album } = await getEditableAlbum(db, c.req.valid("param").id, c.var.viewer);
    auditIfAdminOverride(c, album.ownerId, { action: "album.cover", targetType: "album", targetId: album.id });
    const { bytes, type } = await readImage(c.req.raw);
    await c.env.MEDIA.put(albumCoverKey(album.id), bytes, { httpMetadata: { contentType: type.mime } });
    await setAlbumCoverKey(db, album.id, albumCoverKey(album.id));
    return c.json(toAlbumResponse(await getAlbum(db, album.id, c.var.viewer)), 200);
  })
  .openapi(getAlbumCover, async (c) => {
    const { album } = await getAlbum(c.var.db, c.req.valid("param").id, c.var.viewer);
    if (!album.coverKey) throw notFound("Cover");
    return serveObject(c.env.MEDIA, album.coverKey, c.req.raw, { cacheControl: "public, max-age=300" });
  })
  .openapi(getAvatar, async (c) => {
    const user = await findUserById(c.env.DB, c.req.valid("param").id);
    if (!user?.avatarKey || user.status !== "active") throw notFound("Avatar");
    return serveObject(c.env.MEDIA, user.avatarKey, c.req.raw, { cacheControl: "public, max-age=86400" });
  });
