import { createRouter } from "../shared/openapi.ts";
import { adminRoutes } from "./admin-routes.ts";
import { albumRoutes } from "./album-routes.ts";
import { browseRoutes } from "./browse-routes.ts";
import { commentRoutes } from "./comment-routes.ts";
import { discoverRoutes } from "./discover-routes.ts";
import { likeRoutes } from "./like-routes.ts";
import { playRoutes } from "./play-routes.ts";
import { playlistRoutes } from "./playlist-routes.ts";
import { profileRoutes } from "./profile-routes.ts";
import { searchRoutes } from "./search-routes.ts";
import { trackRoutes } from "./track-routes.ts";

/** Profiles, tracks, albums, playlists, likes, follows, comments, plays, search, discovery, admin. */
export const catalogRoutes = createRouter()
  .route("/", trackRoutes)
  .route("/", likeRoutes)
  .route("/", commentRoutes)
  .route("/", playRoutes)
  .route("/", profileRoutes)
  .route("/", playlistRoutes)
  .route("/", albumRoutes)
  .route("/", searchRoutes)
  .route("/", discoverRoutes)
  .route("/", browseRoutes)
  .route("/", adminRoutes);
