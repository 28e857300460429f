import { create } from "zustand";
import type { PartyClientFrame, PartyFrame, PartyState } from "../../../workers/chat/party/party-protocol.ts";
import type { ServerFrame } from "../../../workers/chat/protocol.ts";
import { type ClockEstimate, estimateClock, isNewer, type TimeSample } from "./sync.ts";

/** Samples taken right after connecting, a little apart, then one every so often. */
const INITIAL_SAMPLES = 8;
const SAMPLE_SPACING_MS = 80;
const RESAMPLE_EVERY_MS = 10_000;
const KEPT_SAMPLES = 16;
const PARTY_ERRORS = new Set(["forbidden", "no_party", "invalid_party_action", "track_not_visible"]);

export type PartyView = {
  state: PartyState | null;
  clock: ClockEstimate | null;
  /** The last refusal of one of this user's party commands. */
  error: string | null;
};

export const useParty = create<PartyView>(() => ({ state: null, clock: null, error: null }));

let samples: TimeSample[] = [];
const pending = new Set<number>();
let timers: ReturnType<typeof setTimeout>[] = [];
let send: ((frame: PartyClientFrame) => boolean) | null = null;

function sample() {
  // Unique per request, so each answer is matched with its own send time.
  const clientTime = Date.now() + Math.random() / 1000;
  if (send?.({ type: "time", clientTime })) pending.add(clientTime);
}

/** Feeds the room's frames in (hello, party, time, error). */
export function onPartyFrame(frame: ServerFrame): void {
  switch (frame.type) {
    case "hello":
      useParty.setState({ state: frame.party, error: null });
      for (let i = 0; i < INITIAL_SAMPLES; i++) timers.push(setTimeout(sample, i * SAMPLE_SPACING_MS));
      return;
    case "party":
      if (isNewer(frame.state, useParty.getState().state)) useParty.setState({ state: frame.state });
      return;
    case "time": {
      if (!pending.delete(frame.clientTime)) return;
      const received = { clientSent: frame.clientTime, serverTime: frame.serverTime, clientReceived: Date.now() };
      samples = [...samples, received].slice(-KEPT_SAMPLES);
      useParty.setState({ clock: estimateClock(samples) });
      return;
    }
    case "error":
      if (PARTY_ERRORS.has(frame.code)) useParty.setState({ error: frame.message });
      return;
  }
}

/** Starts following the party of the open room connection; returns the stop function. */
export function attachParty(sender: (frame: PartyClientFrame) => boolean): () => void {
  send = sender;
  samples = [];
  pending.clear();
  const interval = setInterval(sample, RESAMPLE_EVERY_MS);
  return () => {
    clearInterval(interval);
    for (const timer of timers) clearTimeout(timer);
    timers = [];
    send = null;
    useParty.setState({ state: null, clock: null, error: null });
  };
}

/** Sends a party command; the room answers everyone with the new state, or this user with an error. */
export function partyCommand(action: PartyFrame["action"], extra: Omit<Partial<PartyFrame>, "type" | "action"> = {}) {
  useParty.setState({ error: null });
  send?.({ type: "party", action, ...extra });
}

export function canControl(state: PartyState | null, userId: string | undefined): boolean {
  return !!state && !!userId && (state.hostId === userId || state.coHostIds.includes(userId));
}
