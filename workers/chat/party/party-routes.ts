import { createRoute, z } from "@hono/zod-openapi";
import { signedIn } from "../../auth/route-presets.ts";
import { createRouter, jsonResponse } from "../../shared/openapi.ts";

/** At most this many live parties are listed (the busiest rooms are a later concern). */
const LIVE_LIMIT = 50;

const LivePartySchema = z
  .object({
    roomId: z.string(),
    name: z.string(),
    kind: z.enum(["public", "private", "dm"]),
    startedAt: z.string(),
    track: z.object({ id: z.string(), title: z.string(), artist: z.string() }).nullable(),
  })
  .openapi("LiveParty");

const liveRoute = createRoute({
  method: "get",
  path: "/parties/live",
  tags: ["chat"],
  summary: "Rooms with a listening party on that the caller may enter, newest party first",
  ...signedIn({ 200: jsonResponse(z.object({ items: z.array(LivePartySchema) }), "Live parties") }),
});

type LiveRow = {
  id: string;
  name: string;
  kind: "public" | "private" | "dm";
  party_started_at: number;
  track_id: string | null;
  title: string | null;
  artist: string | null;
};

export const partyRoutes = createRouter().openapi(liveRoute, async (c) => {
  const me = c.var.viewer.id;
  // The room object marks its row while a party is on; the caller sees public rooms and their own
  // rooms, not those they are banned from (the same rule as the room list).
  const { results } = await c.env.DB.prepare(
    `SELECT r.id, r.name, r.kind, r.party_started_at, t.id AS track_id, t.title, t.artist
       FROM rooms r
       LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ?1
       LEFT JOIN tracks t ON t.id = r.party_track_id
      WHERE r.party_started_at IS NOT NULL
        AND (r.kind = 'public' OR m.user_id IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM room_bans b WHERE b.room_id = r.id AND b.user_id = ?1)
      ORDER BY r.party_started_at DESC, r.id DESC
      LIMIT ?2`,
  )
    .bind(me, LIVE_LIMIT)
    .all<LiveRow>();
  const items = results.map((row) => ({
    roomId: row.id,
    name: row.name,
    kind: row.kind,
    startedAt: new Date(row.party_started_at).toISOString(),
    track: row.track_id ? { id: row.track_id, title: row.title ?? "", artist: row.artist ?? "" } : null,
  }));
  return c.json({ items }, 200);
});
