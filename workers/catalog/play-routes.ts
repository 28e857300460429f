import { createRoute, z } from "@hono/zod-openapi";
import { clientIp } from "../auth/rate-limit.ts";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { sha256Hex } from "../shared/crypto.ts";
import { ApiError } from "../shared/errors.ts";
import {
  createRouter,
  endpoint,
  errorResponse,
  IdParams,
  jsonBody,
  jsonResponse,
  PageQuery,
  pageOf,
} from "../shared/openapi.ts";
import { viewableTrack } from "./access.ts";
import { reportListen } from "./listening.ts";
import { listeningHistory } from "./play-history.ts";
import { TrackSchema } from "./schemas.ts";

const PlayBody = z.object({
  listenedMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000),
  listenId: z.string().min(1).max(64).optional(),
});

const PlayResult = z
  .object({
    accepted: z.literal(true),
    counted: z.boolean().openapi({
      description:
        "Whether the report reached the counting threshold (30 s or half the track) and was queued for counting. " +
        "Plays are counted shortly after, once per listen: a repeated report of a listen adds nothing.",
    }),
  })
  .openapi("PlayResult");

const HistoryItem = z
  .object({ playedAt: z.string(), listenedMs: z.number().int(), track: TrackSchema })
  .openapi("HistoryItem");

const reportPlay = createRoute({
  ...endpoint("post", "/tracks/{id}/plays", "plays"),
  summary: "Report a listen; it counts once per listen when it reaches 30 s or half the track (counted asynchronously)",
  request: { params: IdParams, ...jsonBody(PlayBody) },
  ...maybeSignedIn({
    202: jsonResponse(PlayResult, "Accepted; the play count and history reflect it within seconds"),
    404: errorResponse("No such track"),
    409: errorResponse("The track is not ready to play"),
  }),
});

const history = createRoute({
  ...endpoint("get", "/me/history", "plays"),
  summary: "The signed-in user's listening history, most recent first",
  request: { query: PageQuery },
  ...signedIn({ 200: jsonResponse(pageOf(HistoryItem), "A page of counted listens") }),
});

export const playRoutes = createRouter()
  .openapi(reportPlay, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const { track } = await viewableTrack(db, c.req.valid("param").id, viewer);
    if (track.status !== "ready") throw new ApiError(409, "track_not_ready", "This track cannot be played yet.");
    const { listenId } = c.req.valid("json");
    // Nobody listens to more of a track than it lasts (the consumer clamps again, to D1's duration).
    const listenedMs = Math.min(c.req.valid("json").listenedMs, track.durationMs ?? Number.MAX_SAFE_INTEGER);
    const listenerKey = viewer ? `u:${viewer.id}` : `ip:${(await sha256Hex(clientIp(c))).slice(0, 32)}`;
    const counted = await reportListen(c.env, { track, viewer, listenerKey, listenedMs, listenId });
    return c.json({ accepted: true as const, counted }, 202);
  })
  .openapi(history, async (c) => c.json(await listeningHistory(c.var.db, c.var.viewer, c.req.valid("query")), 200));
