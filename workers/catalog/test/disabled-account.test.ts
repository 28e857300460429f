import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { recordRenditions } from "../../media/test/fixtures.ts";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";
import { createTrack, makeAdmin, uniqueWord } from "./fixtures.ts";

const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);
const get = async (path: string, token?: string) => call("GET", path, { token });
const getJson = async (path: string, token?: string) => {
  const response = await get(path, token);
  expect(response.status, path).toBe(200);
  return json(response);
};

/** A disabled artist with content on every read path, and a listener whose lists touch it. */
async function artistWithContent() {
  const word = uniqueWord("d");
  const admin = await makeAdmin(await registerUser());
  const artist = await registerUser({ displayName: `${word} Artist` });
  const listener = await registerUser();
  const track = await createTrack(artist, { title: `${word} anthem` });
  await recordRenditions(track.id, ["medium"]);
  const listenerTrack = await createTrack(listener);
  await env.DB.prepare("INSERT INTO track_daily_plays (track_id, day, plays) VALUES (?1, ?2, 1000000)")
    .bind(track.id, Math.floor(Date.now() / 86_400_000))
    .run();

  const playlist = await json(
    await call("POST", "/api/v1/playlists", { token: artist.token, body: { title: `${word} mix` } }),
  );
  await call("POST", `/api/v1/playlists/${playlist.id}/tracks`, { token: artist.token, body: { trackId: track.id } });
  const album = await json(
    await call("POST", "/api/v1/albums", { token: artist.token, body: { title: `${word} LP` } }),
  );
  await call("PUT", `/api/v1/albums/${album.id}/tracks`, { token: artist.token, body: { trackIds: [track.id] } });
  const comment = await json(
    await call("POST", `/api/v1/tracks/${listenerTrack.id}/comments`, { token: artist.token, body: { body: "hi" } }),
  );
  // The listener's own collections hold the artist's track and the artist themself.
  const listenerPlaylist = await json(
    await call("POST", "/api/v1/playlists", { token: listener.token, body: { title: "faves" } }),
  );
  await call("POST", `/api/v1/playlists/${listenerPlaylist.id}/tracks`, {
    token: listener.token,
    body: { trackId: track.id },
  });
  await call("POST", `/api/v1/tracks/${track.id}/like`, { token: listener.token });
  await call("POST", `/api/v1/users/${artist.username}/follow`, { token: listener.token });
  await call("POST", `/api/v1/users/${listener.username}/follow`, { token: artist.token });
  return { word, admin, artist, listener, track, playlist, album, comment, listenerTrack, listenerPlaylist };
}

type Content = Awaited<ReturnType<typeof artistWithContent>>;

/** Every read path that can show the artist's content, as the given viewer sees it. */
async function whatShows(c: Content, viewer?: TestUser) {
  const token = viewer?.token;
  const status = async (path: string) => (await get(path, token)).status;
  const search = async (type: string) => ids(await getJson(`/api/v1/search?q=${c.word}&type=${type}`, token));
  const listenerPlaylistTracks = await getJson(`/api/v1/playlists/${c.listenerPlaylist.id}/tracks`, token);
  return {
    track: await status(`/api/v1/tracks/${c.track.id}`),
    stream: await status(`/api/v1/tracks/${c.track.id}/stream`),
    hls: await status(`/api/v1/tracks/${c.track.id}/hls`),
    waveform: await status(`/api/v1/tracks/${c.track.id}/waveform`),
    trackComments: await status(`/api/v1/tracks/${c.track.id}/comments`),
    ownerTracks: await status(`/api/v1/tracks?owner=${c.artist.username}`),
    recent: ids(await getJson("/api/v1/discover/recent?limit=100", token)).includes(c.track.id),
    trending: ids(await getJson("/api/v1/discover/trending?limit=100", token)).includes(c.track.id),
    searchTracks: await search("tracks"),
    searchUsers: await search("users"),
    searchPlaylists: await search("playlists"),
    playlist: await status(`/api/v1/playlists/${c.playlist.id}`),
    playlists: ids(await getJson("/api/v1/playlists?limit=100", token)).includes(c.playlist.id),
    album: await status(`/api/v1/albums/${c.album.id}`),
    albums: ids(await getJson("/api/v1/albums?limit=100", token)).includes(c.album.id),
    comments: ids(await getJson(`/api/v1/tracks/${c.listenerTrack.id}/comments`, token)),
    listenerPlaylist: {
      entries: listenerPlaylistTracks.items.map((e: any) => e.track.id),
      trackCount: (await getJson(`/api/v1/playlists/${c.listenerPlaylist.id}`, token)).trackCount,
    },
    followers: (await getJson(`/api/v1/users/${c.listener.username}/followers`, token)).items.map(
      (u: any) => u.username ?? u.user?.username,
    ),
    following: (await getJson(`/api/v1/users/${c.listener.username}/following`, token)).items.map(
      (u: any) => u.username ?? u.user?.username,
    ),
  };
}

function allVisible(c: Content) {
  return {
    track: 200,
    stream: 200,
    hls: 200,
    waveform: 200,
    trackComments: 200,
    ownerTracks: 200,
    recent: true,
    trending: true,
    searchTracks: [c.track.id],
    searchUsers: [c.artist.id],
    searchPlaylists: [c.playlist.id],
    playlist: 200,
    playlists: true,
    album: 200,
    albums: true,
    comments: [c.comment.id],
    listenerPlaylist: { entries: [c.track.id], trackCount: 1 },
    followers: [c.artist.username],
    following: [c.artist.username],
  };
}

describe("a disabled account", () => {
  it("is gone from every read path until re-enabled; admins still see its content", async () => {
    const c = await artistWithContent();
    const stranger = await registerUser();
    expect(await whatShows(c)).toEqual(allVisible(c));

    const disabled = await call("POST", `/api/v1/admin/users/${c.artist.username}/disable`, {
      token: c.admin.token,
      body: { reason: "spam" },
    });
    expect(disabled.status).toBe(200);

    const gone = {
      track: 404,
      stream: 404,
      hls: 404,
      waveform: 404,
      trackComments: 404,
      ownerTracks: 404,
      recent: false,
      trending: false,
      searchTracks: [],
      searchUsers: [],
      searchPlaylists: [],
      playlist: 404,
      playlists: false,
      album: 404,
      albums: false,
      comments: [],
      listenerPlaylist: { entries: [], trackCount: 0 },
      followers: [],
      following: [],
    };
    expect(await whatShows(c)).toEqual(gone);
    expect(await whatShows(c, stranger)).toEqual(gone);
    expect(await whatShows(c, c.listener)).toEqual(gone);
    const likes = await getJson("/api/v1/me/likes", c.listener.token);
    expect(ids(likes)).not.toContain(c.track.id);

    // Admins keep seeing the content where they moderate it.
    const asAdmin = await whatShows(c, c.admin);
    expect(asAdmin).toMatchObject({ track: 200, stream: 200, playlist: 200, album: 200, comments: [c.comment.id] });
    expect(asAdmin.listenerPlaylist.entries).toEqual([c.track.id]);

    await call("POST", `/api/v1/admin/users/${c.artist.username}/enable`, {
      token: c.admin.token,
      body: { reason: "appeal upheld" },
    });
    expect(await whatShows(c)).toEqual(allVisible(c));
    expect(ids(await getJson("/api/v1/me/likes", c.listener.token))).toContain(c.track.id);
  });
});
