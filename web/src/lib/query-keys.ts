import { useMemo } from "react";
import { useSession } from "../stores/session.ts";

/**
 * Every query key starts with the viewer, so a page fetched signed out is fetched again once the
 * session is restored (likedByMe, followedByMe and private items depend on who asks), and signing
 * out never shows the previous user's data.
 */
export function queryKeys(viewer: string) {
  const scope = ["viewer", viewer] as const;
  return {
    all: scope,
    track: (id: string) => [...scope, "track", id] as const,
    comments: (trackId: string) => [...scope, "comments", trackId] as const,
    profile: (username: string) => [...scope, "profile", username] as const,
    tracksBy: (username: string) => [...scope, "tracks", "owner", username] as const,
    recent: () => [...scope, "discover", "recent"] as const,
    trending: () => [...scope, "discover", "trending"] as const,
    feed: () => [...scope, "feed"] as const,
    search: (type: string, q: string) => [...scope, "search", type, q] as const,
    playlists: () => [...scope, "playlists"] as const,
    playlist: (id: string) => [...scope, "playlist", id] as const,
    albums: () => [...scope, "albums"] as const,
    album: (id: string) => [...scope, "album", id] as const,
    artists: () => [...scope, "artists"] as const,
    offlineSaved: () => [...scope, "offline", "saved"] as const,
    genres: () => [...scope, "genres"] as const,
    genre: (name: string) => [...scope, "tracks", "genre", name] as const,
    likes: () => [...scope, "likes"] as const,
    history: () => [...scope, "history"] as const,
    rooms: () => [...scope, "chat", "rooms"] as const,
    room: (id: string) => [...scope, "chat", "room", id] as const,
    invites: () => [...scope, "chat", "invites"] as const,
    storage: () => [...scope, "storage"] as const,
    adminOverview: () => [...scope, "admin", "overview"] as const,
    adminUsers: (q: string) => [...scope, "admin", "users", q] as const,
    adminTracks: (status: string) => [...scope, "admin", "tracks", status] as const,
    liveParties: () => [...scope, "chat", "parties", "live"] as const,
    notifications: () => [...scope, "notifications", "list"] as const,
    notificationsUnread: () => [...scope, "notifications", "unread"] as const,
    deviceSessions: () => [...scope, "me", "sessions"] as const,
    linkedAccounts: () => [...scope, "me", "identities"] as const,
  };
}

export type QueryKeys = ReturnType<typeof queryKeys>;

/** Data that is the same for everyone (a track's peaks) is not keyed by viewer. */
export const publicKeys = {
  waveform: (trackId: string) => ["waveform", trackId] as const,
  signInProviders: () => ["auth", "providers"] as const,
};

export const viewerId = (userId: string | undefined) => userId ?? "anonymous";

export function useQueryKeys(): QueryKeys {
  const viewer = viewerId(useSession((s) => s.user?.id));
  return useMemo(() => queryKeys(viewer), [viewer]);
}
