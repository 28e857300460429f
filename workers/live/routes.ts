import { createRouter } from "../shared/openapi.ts";
import { eventsRoutes } from "./events-routes.ts";

/** Live channels over WebSockets: the per-user event channel (and, next, chat rooms). */
export const liveRoutes = createRouter().route("/", eventsRoutes);
