import type { Role, TrackStatus, Visibility } from "../db/schema/index.ts";

export type Viewer = { id: string; role: Role } | undefined;
type TrackAccess = { ownerId: string; visibility: Visibility; status: TrackStatus };

/** Whether `viewer` may open this track by its id (unlisted tracks: anyone with the link). */
export function canViewTrack(track: TrackAccess, viewer: Viewer): boolean {
  if (viewer && (viewer.id === track.ownerId || viewer.role === "admin")) return true;
  return track.visibility !== "private" && track.status === "ready";
}

/** Whether the track may appear in lists, search, feeds and other people's playlists. */
export function isListable(track: TrackAccess): boolean {
  return track.visibility === "public" && track.status === "ready";
}

export function canEditTrack(track: { ownerId: string }, viewer: Viewer): boolean {
  return !!viewer && (viewer.id === track.ownerId || viewer.role === "admin");
}
