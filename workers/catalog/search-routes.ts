import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, jsonResponse } from "../shared/openapi.ts";
import { PlaylistSchema, TrackSchema, UserSummarySchema } from "./schemas.ts";
import { searchPlaylists, searchTracks, searchUsers } from "./search.ts";

const SearchQuery = z.object({
  q: z.string().max(200, "Search for at most 200 characters."),
  type: z.enum(["tracks", "users", "playlists"]).default("tracks"),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const SearchResults = z
  .object({
    type: z.enum(["tracks", "users", "playlists"]),
    items: z.array(z.union([TrackSchema, UserSummarySchema, PlaylistSchema])),
    nextCursor: z.string().nullable(),
  })
  .openapi("SearchResults");

const search = createRoute({
  ...endpoint("get", "/search", "search"),
  summary: "Full-text search: prefix matching on the last word, ranked by relevance then popularity",
  request: { query: SearchQuery },
  ...maybeSignedIn({ 200: jsonResponse(SearchResults, "A page of results of the given type") }),
});

export const searchRoutes = createRouter().openapi(search, async (c) => {
  const { q, type, cursor, limit } = c.req.valid("query");
  const db = c.var.db;
  const page = { cursor, limit };
  if (type === "tracks") return c.json({ type, ...(await searchTracks(db, c.var.viewer, q, page)) }, 200);
  if (type === "users") return c.json({ type, ...(await searchUsers(db, q, page)) }, 200);
  return c.json({ type, ...(await searchPlaylists(db, c.var.viewer, q, page)) }, 200);
});
