import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import type { Db } from "../db/client.ts";
import { albums, users } from "../db/schema/index.ts";
import type { AppBindings } from "../env.ts";
import { deleteAlbumMedia } from "../media/storage.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { newId } from "../shared/ids.ts";
import { afterCursor } from "../shared/keyset.ts";
import {
  createRouter,
  errorResponse,
  IdParam,
  IdParams,
  jsonBody,
  jsonResponse,
  pageOf,
  patchBody,
} from "../shared/openapi.ts";
import { findProfileUser } from "./access.ts";
import { auditIfAdminOverride } from "./admin.ts";
import {
  albumColumns,
  albumTrackList,
  getAlbum,
  getEditableAlbum,
  MAX_ALBUM_TRACKS,
  setAlbumTracks,
  toAlbumResponse,
} from "./albums.ts";
import { AlbumSchema, Description, OwnerPageQuery, Title, TrackSchema } from "./schemas.ts";
import type { Viewer } from "./visibility.ts";
import { accountVisibleSql } from "./visibility-sql.ts";

const AlbumWithTracks = AlbumSchema.extend({ tracks: z.array(TrackSchema) }).openapi("AlbumWithTracks");

const ReleaseDate = z.iso.date().nullable();
const TrackIds = z.array(IdParam).max(MAX_ALBUM_TRACKS);
const CreateAlbumBody = z.object({
  title: Title,
  description: Description.optional(),
  releasedOn: ReleaseDate.optional(),
  trackIds: TrackIds.optional(),
});
const UpdateAlbumBody = patchBody({ title: Title, description: Description, releasedOn: ReleaseDate });

const ownerErrors = { 403: errorResponse("Not the owner"), 404: errorResponse("No such album") };

const listAlbums = createRoute({
  method: "get",
  path: "/albums",
  tags: ["albums"],
  summary: "One owner's albums, or the most recent ones",
  request: { query: OwnerPageQuery },
  ...maybeSignedIn({
    200: jsonResponse(pageOf(AlbumSchema), "A page of albums"),
    404: errorResponse("No such owner"),
  }),
});

const createAlbum = createRoute({
  method: "post",
  path: "/albums",
  tags: ["albums"],
  request: jsonBody(CreateAlbumBody),
  ...signedIn({ 201: jsonResponse(AlbumWithTracks, "The new album") }),
});

const getAlbumRoute = createRoute({
  method: "get",
  path: "/albums/{id}",
  tags: ["albums"],
  summary: "An album with its tracks in order (only those the caller may see)",
  request: { params: IdParams },
  ...maybeSignedIn({ 200: jsonResponse(AlbumWithTracks, "The album"), 404: errorResponse("No such album") }),
});

const patchAlbum = createRoute({
  method: "patch",
  path: "/albums/{id}",
  tags: ["albums"],
  request: { params: IdParams, ...jsonBody(UpdateAlbumBody) },
  ...signedIn({ 200: jsonResponse(AlbumWithTracks, "The updated album"), ...ownerErrors }),
});

const putAlbumTracks = createRoute({
  method: "put",
  path: "/albums/{id}/tracks",
  tags: ["albums"],
  summary: "Set the album's tracks and their order",
  request: { params: IdParams, ...jsonBody(z.object({ trackIds: TrackIds })) },
  ...signedIn({
    200: jsonResponse(AlbumWithTracks, "The album with its new track list"),
    ...ownerErrors,
  }),
});

const deleteAlbum = createRoute({
  method: "delete",
  path: "/albums/{id}",
  tags: ["albums"],
  summary: "Delete the album (its tracks stay)",
  request: { params: IdParams },
  ...signedIn({ 204: { description: "Deleted" }, ...ownerErrors }),
});

async function albumWithTracks(db: Db, id: string, viewer: Viewer) {
  const album = await getAlbum(db, id, viewer);
  return { ...toAlbumResponse(album), tracks: await albumTrackList(db, id, viewer) };
}

function auditAlbum<E extends AppBindings>(
  c: Context<E, string, object>,
  album: { id: string; ownerId: string; title: string },
  action: string,
  details: Record<string, unknown> = {},
) {
  auditIfAdminOverride(c, album.ownerId, {
    action,
    targetType: "album",
    targetId: album.id,
    details: { title: album.title, ...details },
  });
}

export const albumRoutes = createRouter()
  .openapi(listAlbums, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { owner, cursor, limit } = c.req.valid("query");
    const conditions = [
      accountVisibleSql(albums.ownerId, viewer),
      afterCursor(albums.createdAt, albums.id, decodeCursor(cursor)),
    ];
    if (owner) conditions.push(eq(albums.ownerId, (await findProfileUser(db, owner, viewer)).id));
    const rows = await db
      .select(albumColumns(viewer))
      .from(albums)
      .innerJoin(users, eq(users.id, albums.ownerId))
      .where(and(...conditions))
      .orderBy(desc(albums.createdAt), desc(albums.id))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.album.createdAt, id: r.album.id }));
    return c.json({ items: page.items.map(toAlbumResponse), nextCursor: page.nextCursor }, 200);
  })
  .openapi(createAlbum, async (c) => {
    const db = c.var.db;
    const body = c.req.valid("json");
    const now = Date.now();
    const album = await db
      .insert(albums)
      .values({
        id: newId(now),
        ownerId: c.var.viewer.id,
        title: body.title,
        description: body.description ?? "",
        releasedOn: body.releasedOn ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    if (body.trackIds?.length) {
      try {
        await setAlbumTracks(db, album, body.trackIds);
      } catch (error) {
        await db.delete(albums).where(eq(albums.id, album.id));
        throw error;
      }
    }
    return c.json(await albumWithTracks(db, album.id, c.var.viewer), 201);
  })
  .openapi(getAlbumRoute, async (c) => {
    const db = c.var.db;
    return c.json(await albumWithTracks(db, c.req.valid("param").id, c.var.viewer), 200);
  })
  .openapi(patchAlbum, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { album } = await getEditableAlbum(db, c.req.valid("param").id, viewer);
    auditAlbum(c, album, "album.update", { changes: c.req.valid("json") });
    await db
      .update(albums)
      .set({ ...c.req.valid("json"), updatedAt: Date.now() })
      .where(eq(albums.id, album.id));
    return c.json(await albumWithTracks(db, album.id, viewer), 200);
  })
  .openapi(putAlbumTracks, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { album } = await getEditableAlbum(db, c.req.valid("param").id, viewer);
    auditAlbum(c, album, "album.tracks", { trackIds: c.req.valid("json").trackIds });
    await setAlbumTracks(db, album, c.req.valid("json").trackIds);
    return c.json(await albumWithTracks(db, album.id, viewer), 200);
  })
  .openapi(deleteAlbum, async (c) => {
    const db = c.var.db;
    const { album } = await getEditableAlbum(db, c.req.valid("param").id, c.var.viewer);
    auditAlbum(c, album, "album.delete");
    await db.delete(albums).where(eq(albums.id, album.id));
    await deleteAlbumMedia(c.env, album.id);
    return c.body(null, 204);
  });
