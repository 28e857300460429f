import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { call, json, registerUser } from "../../test/http.ts";
import { matchExpression } from "../search.ts";
import { createTrack, playCountOf, uniqueWord } from "./fixtures.ts";

async function search(q: string, type = "tracks", token?: string) {
  const response = await call("GET", `/api/v1/search?q=${encodeURIComponent(q)}&type=${type}&limit=50`, { token });
  expect(response.status).toBe(200);
  return json(response);
}

describe("matchExpression", () => {
  it("quotes every word and makes the last one a prefix", () => {
    expect(matchExpression("Daft Pun")).toBe('"daft" "pun"*');
    expect(matchExpression("daft punk ")).toBe('"daft" "punk"');
    expect(matchExpression('"; DROP TABLE tracks; -- NEAR(a b) *')).toBe('"drop" "table" "tracks" "near" "a" "b"*');
    expect(matchExpression("  *** ")).toBeNull();
    expect(matchExpression("Beyoncé 東京")).toBe('"beyoncé" "東京"*');
  });
});

describe("search", () => {
  it("finds tracks by title, artist, tag and genre, with prefix matching while typing", async () => {
    const word = uniqueWord("t");
    const owner = await registerUser();
    const byTitle = await createTrack(owner, { title: `${word} Lullaby` });
    const byArtist = await createTrack(owner, { artist: `${word} Orchestra` });
    const byTag = await createTrack(owner, { tags: [word] });
    const byGenre = await createTrack(owner, { genre: word });
    const ids = (await search(word.slice(0, 6))).items.map((t: any) => t.id);
    expect(new Set(ids)).toEqual(new Set([byTitle.id, byArtist.id, byTag.id, byGenre.id]));
    const multi = await search(`lullaby ${word}`);
    expect(multi.items.map((t: any) => t.id)).toEqual([byTitle.id]);
    // A trailing space ends the word: a cut-off word no longer matches as a prefix.
    expect((await search(`${word.slice(0, 5)} `)).items).toEqual([]);
  });

  it("ranks by relevance first, then by popularity", async () => {
    const word = uniqueWord("r");
    const owner = await registerUser();
    const quiet = await createTrack(owner, { title: `${word} anthem` });
    const popular = await createTrack(owner, { title: `${word} anthem` });
    const weak = await createTrack(owner, { title: "something else", tags: [word] });
    await call("POST", `/api/v1/tracks/${popular.id}/plays`, { body: { listenedMs: 60_000 } });
    // The play is counted shortly after, from the plays queue.
    await vi.waitFor(async () => expect(await playCountOf(popular.id)).toBe(1), { timeout: 10_000, interval: 100 });
    const ids = (await search(word)).items.map((t: any) => t.id);
    expect(ids).toEqual([popular.id, quiet.id, weak.id]);
  });

  it("never returns private, unlisted or unfinished tracks", async () => {
    const word = uniqueWord("v");
    const owner = await registerUser();
    const open = await createTrack(owner, { title: word });
    await createTrack(owner, { title: word, visibility: "private" });
    await createTrack(owner, { title: word, visibility: "unlisted" });
    await createTrack(owner, { title: word, status: "processing" });
    expect((await search(word, "tracks", owner.token)).items.map((t: any) => t.id)).toEqual([open.id]);
  });

  it("drops a track from search once it is deleted or renamed", async () => {
    const word = uniqueWord("d");
    const owner = await registerUser();
    const gone = await createTrack(owner, { title: word });
    const renamed = await createTrack(owner, { title: word });
    await call("DELETE", `/api/v1/tracks/${gone.id}`, { token: owner.token });
    await call("PATCH", `/api/v1/tracks/${renamed.id}`, { token: owner.token, body: { title: "plain" } });
    expect((await search(word)).items).toEqual([]);
  });

  it("finds users by username and display name, but not disabled ones", async () => {
    const word = uniqueWord("u");
    const user = await registerUser({ displayName: `DJ ${word}` });
    const results = await search(word, "users");
    expect(results.items.map((u: any) => u.id)).toEqual([user.id]);
    expect(results.items[0].email).toBeUndefined();
    expect((await search(user.username, "users")).items.map((u: any) => u.id)).toContain(user.id);
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(user.id).run();
    expect((await search(word, "users")).items).toEqual([]);
  });

  it("finds public playlists only", async () => {
    const word = uniqueWord("p");
    const owner = await registerUser();
    const open = await json(
      await call("POST", "/api/v1/playlists", { token: owner.token, body: { title: `${word} mix` } }),
    );
    await call("POST", "/api/v1/playlists", {
      token: owner.token,
      body: { title: `${word} secret`, visibility: "private" },
    });
    await call("POST", "/api/v1/playlists", {
      token: owner.token,
      body: { title: `${word} link`, visibility: "unlisted" },
    });
    expect((await search(word, "playlists", owner.token)).items.map((p: any) => p.id)).toEqual([open.id]);
  });

  it("pages through results with a cursor", async () => {
    const word = uniqueWord("g");
    const owner = await registerUser();
    const made = new Set<string>();
    for (let i = 0; i < 5; i++) made.add((await createTrack(owner, { title: `${word} ${i}` })).id);
    const first = await json(await call("GET", `/api/v1/search?q=${word}&limit=3`));
    const second = await json(await call("GET", `/api/v1/search?q=${word}&limit=3&cursor=${first.nextCursor}`));
    expect(new Set([...first.items, ...second.items].map((t: any) => t.id))).toEqual(made);
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    ['"unbalanced', "a quote"],
    ['""', "empty quotes"],
    ["*", "a star"],
    ["a* OR b*", "operators"],
    ["NEAR(love song, 2)", "NEAR"],
    ["title:love", "a column filter"],
    ["^love", "a caret"],
    ["-love +song", "signs"],
    ["(((", "brackets"],
    ["AND", "a bare operator"],
    ["🎵🎸", "emoji only"],
    ["\u0000\u202e", "control characters"],
    ["Ünïcödé ﬁ ｆｕｌｌ", "unicode"],
    ["%27%3B--", "url-encoded SQL"],
  ])("answers %s (%s) without an error", async (q) => {
    for (const type of ["tracks", "users", "playlists"]) {
      const response = await call("GET", `/api/v1/search?q=${encodeURIComponent(q)}&type=${type}`);
      expect(response.status).toBe(200);
      expect(Array.isArray((await json(response)).items)).toBe(true);
    }
  });

  it("refuses a 10 KB query, a bad type and a forged cursor with 400", async () => {
    const huge = await call("GET", `/api/v1/search?q=${"a".repeat(10 * 1024)}`);
    expect(huge.status).toBe(400);
    expect((await json(huge)).error.code).toBe("validation_failed");
    const hugeHostile = await call("GET", `/api/v1/search?q=${encodeURIComponent('"*NEAR('.repeat(1500))}`);
    expect(hugeHostile.status).toBe(400);
    expect((await call("GET", "/api/v1/search?q=a&type=albums")).status).toBe(400);
    const forged = btoa(JSON.stringify({ k: 999_999, id: "search" }));
    expect((await call("GET", `/api/v1/search?q=a&cursor=${forged}`)).status).toBe(400);
    expect((await call("GET", "/api/v1/search")).status).toBe(400);
  });
});
