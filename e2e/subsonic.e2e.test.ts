import { DOMParser, type Element } from "@xmldom/xmldom";
import { SubsonicAPI } from "subsonic-api";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { generate, scratchDir } from "../transcoder/test/helpers.ts";
import { ApiClient } from "./api.ts";

// Outside clients against the running product (`wrangler dev` + the transcoder, as `npm start`):
// the `subsonic-api` npm package (token auth and API key) and a raw XML client walk the journey
// connect → browse → search → stream with a range → star → playlist → scrobble.

const baseUrl = inject("baseUrl");
let artist: ApiClient;
let listener: ApiClient;
let listenerName: string;
let appPassword: string;
/** Another listener for the API key run, so its scrobble is a listen of its own (not a repeat). */
let keyListener: ApiClient;
let apiKey: string;
let trackId: string;
let title: string;

beforeAll(async () => {
  artist = new ApiClient(baseUrl);
  await artist.register("subsonic_artist");
  title = `Subsonic tone ${Date.now().toString(36)}`;
  const audio = await generate(scratchDir("veza-e2e-subsonic-"), "tone.mp3", [
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=523:duration=8",
    "-metadata",
    `title=${title}`,
    "-c:a",
    "libmp3lame",
    "-b:a",
    "128k",
  ]);
  const uploaded = await artist.upload(new Uint8Array(audio), "tone.mp3", "audio/mpeg", title);
  const ready = await artist.waitForStatus(uploaded.id, ["ready", "failed"], 90_000);
  expect(ready.status).toBe("ready");
  trackId = ready.id;

  listener = new ApiClient(baseUrl);
  listenerName = (await listener.register("subsonic_listener")).username;
  appPassword = (await listener.json("POST", "/api/v1/me/app-passwords", { name: "e2e app" }, 201)).password;
  keyListener = new ApiClient(baseUrl);
  await keyListener.register("subsonic_keyuser");
  apiKey = (await keyListener.json("POST", "/api/v1/me/api-keys", { name: "e2e key" }, 201)).key;
}, 150_000);

/** The package's fetch, with a Range header on `stream` calls (players ask for ranges). */
function rangedFetch(range: string): typeof fetch {
  return (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.includes("/rest/stream")) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set("range", range);
    return fetch(input, { ...init, headers });
  };
}

describe.each([
  { auth: "token (u, t, s)", config: () => ({ auth: { username: listenerName, password: appPassword } }) },
  { auth: "API key", config: () => ({ auth: { apiKey } }) },
])("the subsonic-api client with $auth", ({ config }) => {
  it("connects, browses, searches, streams a range, stars, makes a playlist and scrobbles", async () => {
    const api = new SubsonicAPI({ url: baseUrl, ...config(), fetch: rangedFetch("bytes=0-1023") } as never);

    expect((await api.ping()).status).toBe("ok");
    const extensions = await api.getOpenSubsonicExtensions();
    expect(extensions.openSubsonicExtensions.map((e: { name: string }) => e.name)).toContain("apiKeyAuthentication");

    const artists = await api.getArtists();
    const all = (artists.artists.index ?? []).flatMap((i) => i.artist ?? []);
    const mine = all.find((a) => a.name.startsWith("subsonic_artist"));
    expect(mine).toBeDefined();
    const artistPage = await api.getArtist({ id: mine!.id });
    const singles = artistPage.artist.album!.find((a: { name: string }) => a.name === "Singles")!;
    const album = await api.getAlbum({ id: singles.id });
    const song = album.album.song!.find((s: { id: string }) => s.id === trackId)!;
    expect(song).toMatchObject({ title, contentType: "audio/mp4", suffix: "m4a" });
    expect(song.duration).toBeGreaterThanOrEqual(7);
    expect((song as { replayGain?: { trackGain?: number } }).replayGain?.trackGain).toEqual(expect.any(Number));

    const found = await api.search3({ query: title });
    expect(found.searchResult3.song?.map((s: { id: string }) => s.id)).toContain(trackId);

    const stream = await api.stream({ id: trackId });
    expect(stream.status).toBe(206);
    expect(stream.headers.get("content-range")).toMatch(/^bytes 0-1023\/\d+$/);
    expect((await stream.arrayBuffer()).byteLength).toBe(1024);

    await api.star({ id: trackId });
    const starred = await api.getStarred2();
    expect(starred.starred2.song?.map((s: { id: string }) => s.id)).toContain(trackId);
    await api.unstar({ id: trackId });

    const playlist = await api.createPlaylist({ name: `e2e ${Date.now()}`, songId: trackId } as never);
    const got = await api.getPlaylist({ id: playlist.playlist.id });
    expect(got.playlist.entry?.map((e: { id: string }) => e.id)).toEqual([trackId]);
    await api.deletePlaylist({ id: playlist.playlist.id });

    await api.scrobble({ id: trackId, submission: false });
    const playing = await api.getNowPlaying();
    expect(playing.nowPlaying.entry?.map((e: { id: string }) => e.id)).toContain(trackId);
    const before = (await listener.json("GET", `/api/v1/tracks/${trackId}`)).playCount;
    await api.scrobble({ id: trackId, time: Date.now(), submission: true });
    const deadline = Date.now() + 20_000;
    let playCount = before;
    while (playCount === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      playCount = (await listener.json("GET", `/api/v1/tracks/${trackId}`)).playCount;
    }
    expect(playCount).toBe(before + 1);
  }, 60_000);
});

describe("a raw XML client", () => {
  async function xml(method: string, params: Record<string, string>): Promise<Element> {
    const query = new URLSearchParams({ u: listenerName, p: appPassword, v: "1.16.1", c: "raw-xml", ...params });
    const response = await fetch(`${baseUrl}/rest/${method}.view?${query}`);
    expect(response.headers.get("content-type")).toMatch(/^application\/xml/);
    const root = new DOMParser().parseFromString(await response.text(), "text/xml").documentElement!;
    expect(root.namespaceURI).toBe("http://subsonic.org/restapi");
    expect(root.getAttribute("status"), `${method}: ${root.toString()}`).toBe("ok");
    return root;
  }
  const first = (parent: Element, name: string) => parent.getElementsByTagName(name)[0]!;

  it("walks the same journey in XML", async () => {
    await xml("ping", {});
    const indexes = await xml("getIndexes", {});
    const artistId = Array.from(indexes.getElementsByTagName("artist"))
      .find((a) => a.getAttribute("name")?.startsWith("subsonic_artist"))!
      .getAttribute("id")!;
    const directory = await xml("getMusicDirectory", { id: artistId });
    const albumId = Array.from(directory.getElementsByTagName("child"))
      .find((c) => c.getAttribute("title") === "Singles")!
      .getAttribute("id")!;
    const albumDir = await xml("getMusicDirectory", { id: albumId });
    const child = Array.from(albumDir.getElementsByTagName("child")).find((c) => c.getAttribute("id") === trackId)!;
    expect(child.getAttribute("title")).toBe(title);

    const search = await xml("search3", { query: title });
    expect(first(search, "song").getAttribute("id")).toBe(trackId);

    const query = new URLSearchParams({ u: listenerName, p: appPassword, v: "1.16.1", c: "raw-xml", id: trackId });
    const ranged = await fetch(`${baseUrl}/rest/stream.view?${query}`, { headers: { range: "bytes=100-199" } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);

    await xml("star", { id: trackId });
    expect(first(await xml("getStarred", {}), "song").getAttribute("id")).toBe(trackId);
    await xml("unstar", { id: trackId });

    const created = await xml("createPlaylist", { name: "raw xml", songId: trackId });
    const playlistId = first(created, "playlist").getAttribute("id")!;
    expect(first(first(created, "playlist"), "entry").getAttribute("id")).toBe(trackId);
    await xml("deletePlaylist", { id: playlistId });
    await xml("scrobble", { id: trackId, submission: "false" });
  }, 60_000);
});
