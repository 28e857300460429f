import { createRouter } from "../shared/openapi.ts";
import { imageRoutes } from "./image-routes.ts";
import { mediaPathRoutes } from "./media-path-routes.ts";
import { streamRoutes } from "./stream-routes.ts";
import { uploadRoutes } from "./upload-routes.ts";

/** Uploads, signed stream URLs, the signed media path, HLS, waveforms, covers and avatars. */
export const mediaRoutes = createRouter()
  .route("/", uploadRoutes)
  .route("/", streamRoutes)
  .route("/", mediaPathRoutes)
  .route("/", imageRoutes);
