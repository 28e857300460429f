import { createRoute, z } from "@hono/zod-openapi";
import { maybeSignedIn } from "../auth/route-presets.ts";
import { createRouter, endpoint, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { artistIndex, genreIndex } from "./browse.ts";
import { UserSummarySchema } from "./schemas.ts";

const GenreSchema = z.object({ name: z.string(), trackCount: z.number().int() }).openapi("Genre");
const ArtistSchema = UserSummarySchema.extend({ trackCount: z.number().int() }).openapi("Artist");

const genres = createRoute({
  ...endpoint("get", "/genres", "browse"),
  summary: "Genres of the tracks the caller may list, by name (one page); their tracks are /tracks?genre=",
  ...maybeSignedIn({ 200: jsonResponse(pageOf(GenreSchema), "Every genre") }),
});

const artists = createRoute({
  ...endpoint("get", "/artists", "browse"),
  summary: "Accounts with at least one track the caller may list, by display name",
  request: { query: PageQuery },
  ...maybeSignedIn({ 200: jsonResponse(pageOf(ArtistSchema), "A page of artists") }),
});

export const browseRoutes = createRouter()
  .openapi(genres, async (c) => c.json(await genreIndex(c.var.db, c.var.viewer), 200))
  .openapi(artists, async (c) => c.json(await artistIndex(c.var.db, c.var.viewer, c.req.valid("query")), 200));
