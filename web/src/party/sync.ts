// Keeping a listener's player on the party's timeline, as pure functions: the clock offset to the
// room, the live position, and what to do about the difference between where the player is and
// where it should be. party-sync.ts applies them to the audio element.
import { livePositionMs, type PartyState } from "../../../workers/chat/party/party-protocol.ts";

/** One clock-sync round trip: the client's send and receive times around the room's clock. */
export type TimeSample = { clientSent: number; serverTime: number; clientReceived: number };
export type ClockEstimate = { offsetMs: number; rttMs: number };

/** Drift below this is left alone (the audio clock's own jitter). */
export const DEADBAND_MS = 25;
/** Drift up to this is absorbed by playing slightly faster or slower; beyond it, a seek. */
export const SEEK_THRESHOLD_MS = 600;
/** The playback rate never moves further than this from 1. */
export const MAX_RATE_NUDGE = 0.06;
/** The drift a nudge aims to absorb in this long. */
export const NUDGE_WINDOW_MS = 2_000;
/** Ticks further apart than this (a background tab, a frozen page) call for a quiet resync. */
export const STALL_GAP_MS = 1_500;

/**
 * The offset (server − client) from the sample with the lowest round trip: its midpoint is the
 * least uncertain (the error is at most half the round trip). Samples with a negative round trip
 * (clock jumps) are ignored.
 */
export function estimateClock(samples: readonly TimeSample[]): ClockEstimate | null {
  let best: ClockEstimate | null = null;
  for (const s of samples) {
    const rttMs = s.clientReceived - s.clientSent;
    if (!(rttMs >= 0) || !Number.isFinite(s.serverTime)) continue;
    if (best && best.rttMs <= rttMs) continue;
    best = { rttMs, offsetMs: s.serverTime - (s.clientSent + rttMs / 2) };
  }
  return best;
}

/** Where the party is now, by this client's clock (`clientNow`) and its offset to the room. */
export function targetPositionMs(
  state: Pick<PartyState, "positionMs" | "playing" | "at">,
  clientNow: number,
  offsetMs: number,
  durationMs?: number | null,
): number {
  return livePositionMs(state, clientNow + offsetMs, durationMs);
}

export type Correction = { kind: "none"; rate: 1 } | { kind: "nudge"; rate: number } | { kind: "seek"; toMs: number };

/**
 * What to do about the player being at `actualMs` when the party is at `targetMs`: nothing within
 * the dead band, a playback-rate nudge for small drift (no audible jump), a seek for large drift.
 * `seekLeadMs` is how long a seek takes to be heard, so the seek lands where the party will be.
 */
export function correctDrift(actualMs: number, targetMs: number, seekLeadMs = 0): Correction {
  const drift = actualMs - targetMs;
  if (Math.abs(drift) <= DEADBAND_MS) return { kind: "none", rate: 1 };
  if (Math.abs(drift) > SEEK_THRESHOLD_MS) return { kind: "seek", toMs: Math.max(0, targetMs + seekLeadMs) };
  const nudge = Math.max(-MAX_RATE_NUDGE, Math.min(MAX_RATE_NUDGE, -drift / NUDGE_WINDOW_MS));
  return { kind: "nudge", rate: 1 + nudge };
}

/** Whether the player should be playing at all: the party plays and the track is not over. */
export function shouldPlay(
  state: Pick<PartyState, "playing" | "trackId">,
  targetMs: number,
  durationMs?: number | null,
) {
  return state.playing && state.trackId !== null && !(durationMs && targetMs >= durationMs);
}

/**
 * After buffering, a hidden tab or a frozen page, nudging would take too long: jump straight to
 * the live position. `lastTick` and `now` are the client times of the previous and this check.
 */
export function needsResync(lastTick: number | null, now: number, buffering: boolean): boolean {
  return buffering || (lastTick !== null && now - lastTick > STALL_GAP_MS);
}

/** A newer state replaces an older one; states can arrive out of order only across reconnects. */
export function isNewer(incoming: PartyState | null, current: PartyState | null): boolean {
  if (!incoming || !current) return true;
  return incoming.startedAt !== current.startedAt || incoming.version > current.version;
}
