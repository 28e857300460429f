import { api, unwrap } from "../api.ts";

/** The signed-in user's playlists (for "Add to playlist" and the library). */
export const myPlaylists = (username: string) => unwrap(api.playlists.$get({ query: { owner: username, limit: 100 } }));

export const addToPlaylist = (playlistId: string, trackId: string) =>
  unwrap(api.playlists[":id"].tracks.$post({ param: { id: playlistId }, json: { trackId } }));
