import { createRouter } from "../shared/openapi.ts";

/** Profiles, tracks, albums, playlists, likes, follows, comments, plays, search, discovery, admin. */
export const catalogRoutes = createRouter();
