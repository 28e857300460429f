import { api, unwrap } from "../api.ts";

/**
 * Tracks saved for offline: the audio is kept in Cache Storage under /offline-audio/<id>, and
 * the service worker (public/offline-audio-sw.js) answers those URLs, range requests included,
 * from the cache, so saved music plays with no network.
 */
export const OFFLINE_CACHE = "veza-offline-audio";
export const offlineUrl = (trackId: string) => `/offline-audio/${encodeURIComponent(trackId)}`;
const GAIN_HEADER = "x-veza-gain-db";
/** The title and artist, kept with the audio so the saved list reads well with no network. */
const TITLE_HEADER = "x-veza-title";
const ARTIST_HEADER = "x-veza-artist";

export type SavedTrack = { trackId: string; title: string | null; artist: string | null; bytes: number };

const hasCaches = () => typeof caches !== "undefined";

export async function isSavedOffline(trackId: string): Promise<boolean> {
  if (!hasCaches()) return false;
  const cache = await caches.open(OFFLINE_CACHE);
  return (await cache.match(offlineUrl(trackId))) !== undefined;
}

/** The saved copy's URL (served by the service worker, or a blob URL when none controls the page). */
export async function offlineAudio(trackId: string): Promise<{ url: string; gainDb: number | null } | null> {
  if (!hasCaches()) return null;
  const cache = await caches.open(OFFLINE_CACHE);
  const saved = await cache.match(offlineUrl(trackId));
  if (!saved) return null;
  const gain = saved.headers.get(GAIN_HEADER);
  const gainDb = gain === null || gain === "" ? null : Number(gain);
  const url = navigator.serviceWorker?.controller ? offlineUrl(trackId) : URL.createObjectURL(await saved.blob());
  return { url, gainDb };
}

/** Downloads the medium rendition into the offline cache. */
export async function saveForOffline(
  trackId: string,
  signal?: AbortSignal,
  about?: { title: string; artist: string },
): Promise<void> {
  const stream = await unwrap(
    api.tracks[":id"].stream.$get({ param: { id: trackId }, query: { quality: "medium" } }, { init: { signal } }),
  );
  const response = await fetch(stream.url, { signal });
  if (!response.ok) throw new Error(`download failed (${response.status})`);
  const body = await response.blob();
  const cache = await caches.open(OFFLINE_CACHE);
  await cache.put(
    offlineUrl(trackId),
    new Response(body, {
      headers: {
        "content-type": stream.mimeType,
        "content-length": String(body.size),
        [GAIN_HEADER]: stream.gainDb === null ? "" : String(stream.gainDb),
        [TITLE_HEADER]: encodeURIComponent(about?.title ?? ""),
        [ARTIST_HEADER]: encodeURIComponent(about?.artist ?? ""),
      },
    }),
  );
}

export async function removeFromOffline(trackId: string): Promise<void> {
  if (!hasCaches()) return;
  await (await caches.open(OFFLINE_CACHE)).delete(offlineUrl(trackId));
}

/** Every saved track, in the order it was saved. */
export async function listSavedOffline(): Promise<SavedTrack[]> {
  if (!hasCaches()) return [];
  const cache = await caches.open(OFFLINE_CACHE);
  const saved: SavedTrack[] = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response) continue;
    const text = (name: string) => decodeURIComponent(response.headers.get(name) ?? "") || null;
    saved.push({
      trackId: decodeURIComponent(new URL(request.url).pathname.slice("/offline-audio/".length)),
      title: text(TITLE_HEADER),
      artist: text(ARTIST_HEADER),
      bytes: Number(response.headers.get("content-length") ?? 0),
    });
  }
  return saved;
}
