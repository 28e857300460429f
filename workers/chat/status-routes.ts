import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, errorResponse, jsonBody, jsonResponse, pageOf } from "../shared/openapi.ts";
import { followingStatuses, setStatus, statusOf } from "./status.ts";

const StatusTrack = z.object({ id: z.string(), title: z.string(), artist: z.string() });
const StatusSchema = z
  .object({
    userId: z.string(),
    username: z.string(),
    displayName: z.string(),
    online: z.boolean(),
    lastSeenAt: z.string().nullable(),
    /** What they are playing, if they show it and the viewer may see the track. */
    track: StatusTrack.nullable(),
  })
  .openapi("UserStatus");

const SetStatusBody = z
  .object({ trackId: z.string().min(1).max(64).nullable().optional(), hidden: z.boolean().optional() })
  .openapi("SetStatus");

const setRoute = createRoute({
  ...endpoint("put", "/me/status", "chat"),
  summary: "Heartbeat and what I am playing (hidden: followers see me offline)",
  request: jsonBody(SetStatusBody),
  ...signedIn({
    200: jsonResponse(z.object({ hidden: z.boolean(), trackId: z.string().nullable() }), "Stored"),
  }),
});

const followingRoute = createRoute({
  ...endpoint("get", "/me/following/status", "chat"),
  summary: "Who I follow that is online now, and what they play: read on demand, one query",
  ...signedIn({ 200: jsonResponse(pageOf(StatusSchema), "Online people I follow (up to 100)") }),
});

const userRoute = createRoute({
  ...endpoint("get", "/users/{username}/status", "chat"),
  summary: "A user's status, for their followers (and themselves)",
  request: { params: z.object({ username: z.string().min(1).max(60) }) },
  ...signedIn({
    200: jsonResponse(StatusSchema, "The status"),
    404: errorResponse("No such user, or the caller does not follow them"),
  }),
});

/** Global status (see status.ts for why nothing is pushed to followers). */
export const statusRoutes = createRouter()
  .openapi(setRoute, async (c) => c.json(await setStatus(c.var.db, c.var.viewer, c.req.valid("json")), 200))
  .openapi(followingRoute, async (c) => c.json(await followingStatuses(c.var.db, c.var.viewer), 200))
  .openapi(userRoute, async (c) => c.json(await statusOf(c.var.db, c.var.viewer, c.req.valid("param").username), 200));
