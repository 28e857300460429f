import { createRoute, z } from "@hono/zod-openapi";
import { adminOnly } from "../auth/route-presets.ts";
import { auditInsert } from "../catalog/admin.ts";
import { ACCOUNT_STATUSES, ROLES, TRACK_STATUSES, VISIBILITIES } from "../db/schema/index.ts";
import { retryTranscode } from "../media/transcode-retry.ts";
import { createRouter, errorResponse, IdParams, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { deadLetterCounts } from "./dead-letters.ts";
import { listTracksByStatus, listUsers, overviewCounts } from "./overview.ts";
import { activeParties } from "./parties.ts";

const DeadLetterCountSchema = z
  .object({ queue: z.string(), count: z.number().int(), lastReceivedAt: z.string().nullable() })
  .openapi("DeadLetterCount");

const ActivePartySchema = z
  .object({
    roomId: z.string(),
    room: z.string(),
    host: z.object({ id: z.string(), username: z.string() }).nullable(),
    listeners: z.number().int(),
    startedAt: z.string(),
  })
  .openapi("AdminParty");

const OverviewSchema = z
  .object({
    users: z.object({
      total: z.number().int(),
      disabled: z.number().int(),
      admins: z.number().int(),
      artists: z.number().int(),
    }),
    tracks: z.object(
      Object.fromEntries(TRACK_STATUSES.map((s) => [s, z.number().int()])) as Record<
        (typeof TRACK_STATUSES)[number],
        z.ZodNumber
      >,
    ),
    storage: z.object({ originalBytes: z.number(), renditionBytes: z.number(), totalBytes: z.number() }),
    rooms: z.object({ total: z.number().int(), activeLastHour: z.number().int() }),
    parties: z.array(ActivePartySchema),
    deadLetters: z.array(DeadLetterCountSchema),
  })
  .openapi("AdminOverview");

const AdminUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    status: z.enum(ACCOUNT_STATUSES),
    createdAt: z.string(),
  })
  .openapi("AdminUser");

const AdminTrackSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    artist: z.string(),
    status: z.enum(TRACK_STATUSES),
    failureReason: z.string().nullable(),
    visibility: z.enum(VISIBILITIES),
    owner: z.object({ id: z.string(), username: z.string() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("AdminTrack");

const overviewRoute = createRoute({
  method: "get",
  path: "/admin/overview",
  tags: ["admin"],
  summary:
    "Operator dashboard: accounts, tracks by status, storage used, rooms, listening parties on now, dead letters",
  ...adminOnly({ 200: jsonResponse(OverviewSchema, "The counts") }),
});

const usersRoute = createRoute({
  method: "get",
  path: "/admin/users",
  tags: ["admin"],
  summary: "Accounts, newest first; q matches the start of the username, display name or email",
  request: { query: PageQuery.extend({ q: z.string().trim().max(100).optional() }) },
  ...adminOnly({ 200: jsonResponse(pageOf(AdminUserSchema), "A page of accounts") }),
});

const tracksRoute = createRoute({
  method: "get",
  path: "/admin/tracks",
  tags: ["admin"],
  summary: "Tracks in one status (any owner, any visibility), most recently changed first",
  request: { query: PageQuery.extend({ status: z.enum(TRACK_STATUSES).default("failed") }) },
  ...adminOnly({ 200: jsonResponse(pageOf(AdminTrackSchema), "A page of tracks") }),
});

const retryRoute = createRoute({
  method: "post",
  path: "/admin/tracks/{id}/retry",
  tags: ["admin"],
  summary: "Put a failed track back in the transcode queue",
  request: { params: IdParams },
  ...adminOnly({
    202: jsonResponse(z.object({ id: z.string(), status: z.literal("processing") }), "Queued again"),
    404: errorResponse("No such track"),
    409: errorResponse("The track has not failed, or its original is gone"),
    503: errorResponse("The queue did not accept the job"),
  }),
});

const deadLettersRoute = createRoute({
  method: "get",
  path: "/admin/dead-letters",
  tags: ["admin"],
  summary: "Messages that reached a dead-letter queue, counted per queue",
  ...adminOnly({ 200: jsonResponse(z.object({ queues: z.array(DeadLetterCountSchema) }), "Counts per queue") }),
});

/** The operators' dashboard API (workers/ops): read-mostly views over every domain, plus retries. */
export const opsRoutes = createRouter()
  .openapi(overviewRoute, async (c) => {
    const [counts, parties, deadLetters] = await Promise.all([
      overviewCounts(c.var.db),
      activeParties(c.env, c.var.db),
      deadLetterCounts(c.env),
    ]);
    return c.json({ ...counts, parties, deadLetters }, 200);
  })
  .openapi(usersRoute, async (c) => c.json(await listUsers(c.var.db, c.req.valid("query")), 200))
  .openapi(tracksRoute, async (c) => c.json(await listTracksByStatus(c.var.db, c.req.valid("query")), 200))
  .openapi(retryRoute, async (c) => {
    const track = await retryTranscode(c.env, c.var.db, c.req.valid("param").id);
    await auditInsert(c.var.db, {
      actorId: c.var.viewer.id,
      action: "track.retry_transcode",
      targetType: "track",
      targetId: track.id,
      reason: "Retry after a failed transcode",
      details: { title: track.title, ownerId: track.ownerId },
    });
    return c.json({ id: track.id, status: "processing" as const }, 202);
  })
  .openapi(deadLettersRoute, async (c) => c.json({ queues: await deadLetterCounts(c.env) }, 200));
