// Plays the party through the app's normal player: the party's track becomes the player's current
// track (so loudness gain, HLS/progressive choice and play reporting stay the player's), and a
// steady tick keeps the audio element on the party's timeline. Leaving hands the player back.
import type { TrackResponse } from "../../../workers/catalog/schemas.ts";
import type { PartyState } from "../../../workers/chat/party/party-protocol.ts";
import { api, unwrap } from "../api.ts";
import { audioElement } from "../lib/player/audio-element.ts";
import { usePlayer } from "../stores/player.ts";
import { partyCommand, useParty } from "./party-store.ts";
import { correctDrift, needsResync, shouldPlay, targetPositionMs } from "./sync.ts";

const TICK_MS = 200;
/** A seek is heard this much later (decoder restart); the seek aims that far ahead. */
const SEEK_LEAD_MS = 60;
/** Members report a finished track this close to its end. */
const ENDED_REPORT_MS = 400;

type Snapshot = Pick<ReturnType<typeof usePlayer.getState>, "current" | "queue" | "history" | "position">;

let snapshot: Snapshot | null = null;
let timer: ReturnType<typeof setInterval> | undefined;
let lastTick: number | null = null;
let buffering = false;
let loadingTrack: string | null = null;
let endedReported: string | null = null;
const cards = new Map<string, TrackResponse>();
let unsubscribe: (() => void) | undefined;

const onWaiting = () => {
  buffering = true;
};

async function trackFor(id: string): Promise<TrackResponse> {
  const known = cards.get(id);
  if (known) return known;
  const track = await unwrap(api.tracks[":id"].$get({ param: { id } }));
  cards.set(id, track);
  return track;
}

/** Puts the party's track into the player when it changes. */
async function follow(state: PartyState | null) {
  const trackId = state?.trackId ?? null;
  const player = usePlayer.getState();
  if (!trackId) {
    if (player.current && loadingTrack !== null) player.setPlaying(false);
    loadingTrack = null;
    return;
  }
  if (loadingTrack === trackId && player.current?.id === trackId) return;
  loadingTrack = trackId;
  const track = await trackFor(trackId);
  if (loadingTrack !== trackId || !timer) return;
  const clock = useParty.getState().clock;
  const live = useParty.getState().state;
  const position = live ? targetPositionMs(live, Date.now(), clock?.offsetMs ?? 0, track.durationMs) / 1000 : 0;
  // The player resumes a new track at `position`; the tick fine-tunes from there.
  usePlayer.setState({ current: track, queue: [], history: [], position, duration: 0, playing: !!live?.playing });
}

function tick() {
  const now = Date.now();
  const { state, clock } = useParty.getState();
  const element = audioElement();
  const resync = needsResync(lastTick, now, buffering);
  lastTick = now;
  if (!state?.trackId || !element || !clock || usePlayer.getState().current?.id !== state.trackId) return;
  const duration = state.tracks[state.trackId]?.durationMs ?? null;
  const target = targetPositionMs(state, now, clock.offsetMs, duration);
  if (duration && target >= duration - ENDED_REPORT_MS && endedReported !== `${state.trackId}:${state.at}`) {
    endedReported = `${state.trackId}:${state.at}`;
    partyCommand("ended", { trackId: state.trackId });
  }
  const play = shouldPlay(state, target, duration);
  if (play !== usePlayer.getState().playing) usePlayer.getState().setPlaying(play);
  if (element.readyState < 1) return;
  if (!play) {
    element.playbackRate = 1;
    if (Math.abs(element.currentTime * 1000 - target) > 50) element.currentTime = target / 1000;
    return;
  }
  if (element.paused) return;
  if (resync) {
    buffering = false;
    element.playbackRate = 1;
    element.currentTime = (target + SEEK_LEAD_MS) / 1000;
    return;
  }
  const action = correctDrift(element.currentTime * 1000, target, SEEK_LEAD_MS);
  if (action.kind === "seek") {
    element.playbackRate = 1;
    element.currentTime = action.toMs / 1000;
  } else {
    element.playbackRate = action.rate;
  }
}

/** Starts playing along with the room's party through the app's player. */
export function joinParty(): void {
  if (timer) return;
  const player = usePlayer.getState();
  snapshot = { current: player.current, queue: player.queue, history: player.history, position: player.position };
  player.setPlaying(false);
  timer = setInterval(tick, TICK_MS);
  lastTick = null;
  audioElement()?.addEventListener("waiting", onWaiting);
  unsubscribe = useParty.subscribe((s, before) => {
    if (s.state?.trackId !== before.state?.trackId || (s.clock && !before.clock)) void follow(s.state);
  });
  void follow(useParty.getState().state);
}

/** Stops playing along and gives the player back as it was before the party. */
export function leaveParty(): void {
  if (!timer) return;
  clearInterval(timer);
  timer = undefined;
  unsubscribe?.();
  loadingTrack = null;
  const element = audioElement();
  element?.removeEventListener("waiting", onWaiting);
  if (element) element.playbackRate = 1;
  const saved = snapshot;
  snapshot = null;
  usePlayer.setState({ playing: false, ...(saved ?? {}), duration: 0 });
}

export const isInParty = () => timer !== undefined;
