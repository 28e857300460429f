import { Hono } from "hono";
import { clientIp } from "../auth/rate-limit.ts";
import { getDb } from "../db/client.ts";
import type { AppBindings } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import * as annotation from "./annotation.ts";
import { authenticate } from "./auth.ts";
import * as browse from "./browse.ts";
import type { Method } from "./call.ts";
import * as chat from "./chat.ts";
import { formatOf, type Payload, renderError, renderOk, SubsonicCode, SubsonicError } from "./envelope.ts";
import * as lists from "./lists.ts";
import * as media from "./media.ts";
import { Params } from "./params.ts";
import * as playlists from "./playlists.ts";
import * as queue from "./queue.ts";
import * as system from "./system.ts";

/** `/rest/<method>` and `/rest/<method>.view`, GET or form POST: the Subsonic API over Veza's catalog. */

const METHODS: Record<string, Method> = {
  ping: system.ping,
  getLicense: system.getLicense,
  getMusicFolders: system.getMusicFolders,
  getScanStatus: system.getScanStatus,
  getUser: system.getUser,
  getArtists: browse.getArtists,
  getIndexes: browse.getIndexes,
  getArtist: browse.getArtist,
  getArtistInfo: browse.getArtistInfo,
  getArtistInfo2: browse.getArtistInfo2,
  getAlbum: browse.getAlbum,
  getAlbumInfo: browse.getAlbumInfo2,
  getAlbumInfo2: browse.getAlbumInfo2,
  getSong: browse.getSong,
  getMusicDirectory: browse.getMusicDirectory,
  getGenres: browse.getGenres,
  getAlbumList: lists.getAlbumList,
  getAlbumList2: lists.getAlbumList2,
  getRandomSongs: lists.getRandomSongs,
  getSongsByGenre: lists.getSongsByGenre,
  getTopSongs: lists.getTopSongs,
  getSimilarSongs: lists.getSimilarSongs,
  getSimilarSongs2: lists.getSimilarSongs2,
  getStarred: lists.getStarred,
  getStarred2: lists.getStarred2,
  search2: lists.search2,
  search3: lists.search3,
  getNowPlaying: lists.getNowPlaying,
  stream: media.stream,
  download: media.download,
  getCoverArt: media.getCoverArt,
  getLyricsBySongId: media.getLyricsBySongId,
  star: annotation.star,
  unstar: annotation.unstar,
  setRating: annotation.setRating,
  scrobble: annotation.scrobble,
  getPlaylists: playlists.getPlaylists,
  getPlaylist: playlists.getPlaylist,
  createPlaylist: playlists.createPlaylist,
  updatePlaylist: playlists.updatePlaylist,
  deletePlaylist: playlists.deletePlaylist,
  getPlayQueue: queue.getPlayQueue,
  savePlayQueue: queue.savePlayQueue,
  getChatMessages: chat.getChatMessages,
  addChatMessage: chat.addChatMessage,
};

/** Answered without credentials, as OpenSubsonic asks, so clients can discover the server first. */
const WITHOUT_AUTH: Record<string, () => Promise<Payload>> = {
  getOpenSubsonicExtensions: system.getOpenSubsonicExtensions,
};

/** Credentials travel in the query, never in cookies, so any web client may call. */
function withCors(response: Response): Response {
  const open = new Response(response.body, response);
  open.headers.set("access-control-allow-origin", "*");
  open.headers.set("access-control-expose-headers", "content-range, content-length, accept-ranges, retry-after");
  return open;
}

/** What a Subsonic client is told about an error raised by shared code (ApiError) or a bug. */
function asSubsonicError(error: unknown): SubsonicError | Response {
  if (error instanceof SubsonicError) return error;
  if (error instanceof ApiError) {
    // A byte range outside the file stays an HTTP 416: players act on the status, not on a body.
    if (error.status === 416) return new Response(null, { status: 416, headers: error.headers });
    const code =
      error.status === 404
        ? SubsonicCode.notFound
        : error.status === 403
          ? SubsonicCode.notAuthorized
          : error.status === 401
            ? SubsonicCode.wrongCredentials
            : SubsonicCode.generic;
    return new SubsonicError(
      code,
      error.message,
      error.status === 429 ? { httpStatus: 429, headers: error.headers } : {},
    );
  }
  console.error("subsonic: unhandled error", error);
  return new SubsonicError(SubsonicCode.generic, "Something went wrong on our side. Please try again.");
}

export const subsonicRoutes = new Hono<AppBindings>();

subsonicRoutes.options("/:name", () =>
  withCors(
    new Response(null, {
      status: 204,
      headers: {
        "access-control-allow-methods": "GET, HEAD, POST",
        "access-control-allow-headers": "content-type, range",
        "access-control-max-age": "86400",
      },
    }),
  ),
);

subsonicRoutes.on(["GET", "HEAD", "POST"], "/:name", async (c) => {
  const name = c.req.param("name").replace(/\.view$/, "");
  const params = await Params.of(c.req.raw);
  const format = formatOf(params.get("f"), params.get("callback"));
  const serverVersion = c.env.APP_VERSION;
  try {
    const open = WITHOUT_AUTH[name];
    if (open) return withCors(renderOk(format, serverVersion, await open()));
    const method = METHODS[name];
    if (!method) {
      throw new SubsonicError(SubsonicCode.notFound, `Unknown method '${name}'.`, { httpStatus: 404 });
    }
    const ip = clientIp(c);
    const caller = await authenticate(c.env, params, ip, new URL(c.req.url).origin);
    if (caller.waitUntil) c.executionCtx.waitUntil(caller.waitUntil);
    const result = await method({
      env: c.env,
      ctx: c.executionCtx,
      request: c.req.raw,
      params,
      db: getDb(c.env.DB),
      user: caller.user,
      viewer: { id: caller.user.id, role: caller.user.role },
      ip,
    });
    if (result instanceof Response) return withCors(result);
    return withCors(renderOk(format, serverVersion, result));
  } catch (error) {
    const failure = asSubsonicError(error);
    return withCors(failure instanceof Response ? failure : renderError(format, serverVersion, failure));
  }
});
