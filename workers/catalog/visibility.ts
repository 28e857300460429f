import type { AccountStatus, Role, TrackStatus, Visibility } from "../db/schema/index.ts";

export type Viewer = { id: string; role: Role } | undefined;
type TrackAccess = { ownerId: string; visibility: Visibility; status: TrackStatus };
/** The account that made a piece of content (a track's owner, a comment's author, ...). */
export type AccountAccess = { status: AccountStatus };

/**
 * A disabled account's content (tracks, streams, playlists, albums, comments, follows) is gone
 * from every read path until the account is re-enabled; admins still see it.
 */
export function isAccountVisible(account: AccountAccess, viewer: Viewer): boolean {
  return account.status === "active" || viewer?.role === "admin";
}

/** Whether `viewer` may open this track by its id (unlisted tracks: anyone with the link). */
export function canViewTrack(track: TrackAccess, owner: AccountAccess, viewer: Viewer): boolean {
  if (!isAccountVisible(owner, viewer)) return false;
  if (viewer && (viewer.id === track.ownerId || viewer.role === "admin")) return true;
  return track.visibility !== "private" && track.status === "ready";
}

/** Whether the track may appear in lists, search, feeds and other people's playlists. */
export function isListable(track: TrackAccess, owner: AccountAccess): boolean {
  return track.visibility === "public" && track.status === "ready" && owner.status === "active";
}

export function canEditTrack(track: { ownerId: string }, viewer: Viewer): boolean {
  return !!viewer && (viewer.id === track.ownerId || viewer.role === "admin");
}

export function canEditPlaylist(playlist: { ownerId: string }, viewer: Viewer): boolean {
  return !!viewer && (viewer.id === playlist.ownerId || viewer.role === "admin");
}

/** Whether `viewer` may open this playlist by its id (unlisted: anyone with the link). */
export function canViewPlaylist(
  playlist: { ownerId: string; visibility: Visibility },
  owner: AccountAccess,
  viewer: Viewer,
): boolean {
  if (!isAccountVisible(owner, viewer)) return false;
  return playlist.visibility !== "private" || canEditPlaylist(playlist, viewer);
}
