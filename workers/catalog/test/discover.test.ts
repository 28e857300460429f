import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, json, registerUser } from "../../test/http.ts";
import { createTrack } from "./fixtures.ts";

describe("feed", () => {
  it("shows new listable tracks from followed artists only, newest first, without repeats across pages", async () => {
    const listener = await registerUser();
    const followed = await registerUser();
    const stranger = await registerUser();
    await call("POST", `/api/v1/users/${followed.username}/follow`, { token: listener.token });
    const older = await createTrack(followed);
    await createTrack(followed, { visibility: "private" });
    await createTrack(followed, { visibility: "unlisted" });
    await createTrack(stranger);
    const newer = await createTrack(followed);
    const first = await json(await call("GET", "/api/v1/feed?limit=1", { token: listener.token }));
    expect(first.items.map((t: any) => t.id)).toEqual([newer.id]);
    await createTrack(followed); // arrives between pages: belongs to the top, not to page two
    const second = await json(
      await call("GET", `/api/v1/feed?limit=5&cursor=${first.nextCursor}`, { token: listener.token }),
    );
    expect(second.items.map((t: any) => t.id)).toEqual([older.id]);
    expect(second.nextCursor).toBeNull();
  });

  it("needs a signed-in user", async () => {
    expect((await call("GET", "/api/v1/feed")).status).toBe(401);
  });
});

describe("recently added", () => {
  it("lists public ready tracks newest first", async () => {
    const owner = await registerUser();
    const a = await createTrack(owner);
    const hidden = await createTrack(owner, { visibility: "unlisted" });
    const b = await createTrack(owner);
    const ids = (await json(await call("GET", "/api/v1/discover/recent?limit=100"))).items.map((t: any) => t.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(ids).not.toContain(hidden.id);
  });
});

describe("trending", () => {
  it("ranks by plays in the last 7 days, ignores older plays and hidden tracks, with stable pages", async () => {
    const owner = await registerUser();
    const hot = await createTrack(owner);
    const warm = await createTrack(owner);
    const old = await createTrack(owner);
    const hidden = await createTrack(owner);
    const day = Math.floor(Date.now() / 86_400_000);
    const bump = (id: string, d: number, plays: number) =>
      env.DB.prepare("INSERT INTO track_daily_plays (track_id, day, plays) VALUES (?1, ?2, ?3)")
        .bind(id, d, plays)
        .run();
    await bump(hot.id, day, 5000);
    await bump(hot.id, day - 6, 4000);
    await bump(warm.id, day - 1, 8000);
    await bump(old.id, day - 7, 100_000);
    await bump(hidden.id, day, 50_000);
    await call("PATCH", `/api/v1/tracks/${hidden.id}`, { token: owner.token, body: { visibility: "private" } });

    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await json(await call("GET", `/api/v1/discover/trending?limit=1${query}`));
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    const ids = seen.map((t) => t.id);
    expect(ids.slice(0, 2)).toEqual([hot.id, warm.id]);
    expect(seen[0].recentPlays).toBe(9000);
    expect(ids).not.toContain(old.id);
    expect(ids).not.toContain(hidden.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
