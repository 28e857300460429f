import { createRouter } from "../shared/openapi.ts";

/** Uploads, signed stream URLs, the signed media path, HLS and waveforms. */
export const mediaRoutes = createRouter();
