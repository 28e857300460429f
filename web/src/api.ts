import { hc } from "hono/client";
import type { AppType } from "../../workers/app.ts";

/** The typed API client: request and response shapes come from the Worker's route schemas. */
export const api = hc<AppType>("/").api.v1;
