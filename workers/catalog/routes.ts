import { createRouter } from "../shared/openapi.ts";
import { commentRoutes } from "./comment-routes.ts";
import { likeRoutes } from "./like-routes.ts";
import { playRoutes } from "./play-routes.ts";
import { trackRoutes } from "./track-routes.ts";

/** Profiles, tracks, albums, playlists, likes, follows, comments, plays, search, discovery, admin. */
export const catalogRoutes = createRouter()
  .route("/", trackRoutes)
  .route("/", likeRoutes)
  .route("/", commentRoutes)
  .route("/", playRoutes);
