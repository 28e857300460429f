import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import { TRACK_STATUSES, tracks, VISIBILITIES } from "../../db/schema/index.ts";
import { registerUser } from "../../test/http.ts";
import { canEditTrack, canViewTrack, isListable, type Viewer } from "../visibility.ts";
import { listableForSql, listableSql, viewableSql } from "../visibility-sql.ts";
import { createTrack } from "./fixtures.ts";

describe("the SQL visibility filters", () => {
  it("agree with visibility.ts for every visibility, status and viewer", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const made = [];
    for (const visibility of VISIBILITIES) {
      for (const status of TRACK_STATUSES) made.push(await createTrack(owner, { visibility, status }));
    }
    const viewers: Viewer[] = [
      undefined,
      { id: owner.id, role: "listener" },
      { id: other.id, role: "listener" },
      { id: other.id, role: "admin" },
    ];
    const db = getDb(env.DB);
    const matching = async (filter: ReturnType<typeof viewableSql>) =>
      new Set(
        (
          await db
            .select({ id: tracks.id })
            .from(tracks)
            .where(and(eq(tracks.ownerId, owner.id), filter))
        ).map((r) => r.id),
      );
    for (const viewer of viewers) {
      expect(await matching(viewableSql(viewer))).toEqual(
        new Set(made.filter((t) => canViewTrack(t, viewer)).map((t) => t.id)),
      );
      expect(await matching(listableForSql(viewer))).toEqual(
        new Set(made.filter((t) => isListable(t) || canEditTrack(t, viewer)).map((t) => t.id)),
      );
    }
    expect(await matching(listableSql)).toEqual(new Set(made.filter((t) => isListable(t)).map((t) => t.id)));
  });
});
