import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { createTrack, uniqueWord } from "./fixtures.ts";

describe("genres", () => {
  it("lists the genres of listable ready tracks once each (any case), counting only what the caller may see", async () => {
    const owner = await registerUser();
    const genre = uniqueWord("genre");
    const hiddenGenre = uniqueWord("hidden");
    await createTrack(owner, { genre });
    await createTrack(owner, { genre: genre.toUpperCase() });
    await createTrack(owner, { genre, visibility: "private" });
    await createTrack(owner, { genre: hiddenGenre, visibility: "private" });
    await createTrack(owner, { genre: hiddenGenre, status: "processing" });
    const body = await json(await call("GET", "/api/v1/genres"));
    expect(body.nextCursor).toBeNull();
    const names = body.items.map((g: any) => g.name.toLowerCase());
    expect(names.filter((n: string) => n === genre)).toHaveLength(1);
    expect(body.items.find((g: any) => g.name.toLowerCase() === genre).trackCount).toBe(2);
    expect(names).not.toContain(hiddenGenre);
  });

  it("lists one genre's tracks through /tracks?genre=, newest first, paged", async () => {
    const owner = await registerUser();
    const genre = uniqueWord("genre");
    const older = await createTrack(owner, { genre });
    await createTrack(owner, { genre: uniqueWord("other") });
    await createTrack(owner, { genre, visibility: "private" });
    const newer = await createTrack(owner, { genre: genre.toUpperCase() });
    const first = await json(await call("GET", `/api/v1/tracks?genre=${genre}&limit=1`));
    expect(first.items.map((t: any) => t.id)).toEqual([newer.id]);
    const second = await json(await call("GET", `/api/v1/tracks?genre=${genre}&limit=5&cursor=${first.nextCursor}`));
    expect(second.items.map((t: any) => t.id)).toEqual([older.id]);
    expect(second.nextCursor).toBeNull();
  });

  it("refuses an empty genre with the error envelope", async () => {
    const response = await call("GET", "/api/v1/tracks?genre=");
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response));
  });
});

describe("artists", () => {
  it("lists accounts with a listable track, with their count, paged without repeats", async () => {
    const withTracks = await registerUser();
    const onlyPrivate = await registerUser();
    await createTrack(withTracks);
    await createTrack(withTracks);
    await createTrack(onlyPrivate, { visibility: "private" });
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await json(await call("GET", `/api/v1/artists?limit=3${query}`));
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);
    expect(seen.find((a) => a.id === withTracks.id)).toMatchObject({ username: withTracks.username, trackCount: 2 });
    expect(seen.map((a) => a.id)).not.toContain(onlyPrivate.id);
  });

  it("refuses a forged cursor with 400", async () => {
    expect((await call("GET", "/api/v1/artists?cursor=nonsense")).status).toBe(400);
  });
});
