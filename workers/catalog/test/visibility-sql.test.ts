import { env } from "cloudflare:workers";
import { and, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client.ts";
import { ACCOUNT_STATUSES, TRACK_STATUSES, tracks, VISIBILITIES } from "../../db/schema/index.ts";
import { registerUser } from "../../test/http.ts";
import { type AccountAccess, canEditTrack, canViewTrack, isListable, type Viewer } from "../visibility.ts";
import { listableForSql, listableSql, viewableSql } from "../visibility-sql.ts";
import { createTrack } from "./fixtures.ts";

describe("the SQL visibility filters", () => {
  it("agree with visibility.ts for every visibility, status, owner account status and viewer", async () => {
    const other = await registerUser();
    const made: { track: Awaited<ReturnType<typeof createTrack>>; owner: AccountAccess }[] = [];
    const owners = [];
    for (const accountStatus of ACCOUNT_STATUSES) {
      const owner = await registerUser();
      owners.push(owner);
      for (const visibility of VISIBILITIES) {
        for (const status of TRACK_STATUSES) {
          made.push({ track: await createTrack(owner, { visibility, status }), owner: { status: accountStatus } });
        }
      }
      await env.DB.prepare("UPDATE users SET status = ?1 WHERE id = ?2").bind(accountStatus, owner.id).run();
    }
    const viewers: Viewer[] = [
      undefined,
      ...owners.map((o) => ({ id: o.id, role: "listener" as const })),
      { id: other.id, role: "listener" },
      { id: other.id, role: "admin" },
    ];
    const db = getDb(env.DB);
    const ids = made.map((m) => m.track.id);
    const matching = async (filter: ReturnType<typeof viewableSql>) =>
      new Set(
        (
          await db
            .select({ id: tracks.id })
            .from(tracks)
            .where(and(inArray(tracks.id, ids), filter))
        ).map((r) => r.id),
      );
    const expected = (keep: (m: (typeof made)[number]) => boolean) => new Set(made.filter(keep).map((m) => m.track.id));
    for (const viewer of viewers) {
      expect(await matching(viewableSql(viewer))).toEqual(expected((m) => canViewTrack(m.track, m.owner, viewer)));
      expect(await matching(listableForSql(viewer))).toEqual(
        expected((m) => isListable(m.track, m.owner) || canEditTrack(m.track, viewer)),
      );
    }
    expect(await matching(listableSql)).toEqual(expected((m) => isListable(m.track, m.owner)));
    // The disabled owner's public ready track is in neither list for an anonymous viewer.
    expect([...(await matching(listableSql))].length).toBe(1);
  });
});
