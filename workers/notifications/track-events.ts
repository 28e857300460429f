import type { TrackRow } from "../catalog/tracks.ts";
import type { Env } from "../env.ts";
import { trackFailedEvent, trackReadyEvent } from "./events.ts";
import { announceNewTrack } from "./fanout/announce.ts";
import { notify } from "./notify.ts";

/** A track finished processing: its uploader hears of it, and a public one goes out to the artist's followers. */
export async function trackBecameReady(env: Env, track: TrackRow): Promise<void> {
  await notify(env, track.ownerId, trackReadyEvent(track));
  if (track.visibility === "public") await announceNewTrack(env, track.id);
}

export async function trackFailed(env: Env, track: TrackRow, reason: string): Promise<void> {
  await notify(env, track.ownerId, trackFailedEvent(track, reason));
}

/** A ready track made public later reaches the followers then (each hears of a track once). */
export async function trackMadePublic(env: Env, track: TrackRow): Promise<void> {
  if (track.status === "ready" && track.visibility === "public") await announceNewTrack(env, track.id);
}
