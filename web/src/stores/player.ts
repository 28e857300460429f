import { create } from "zustand";
import type { TrackResponse } from "../../../workers/catalog/schemas.ts";

type PlayerState = {
  current: TrackResponse | null;
  queue: TrackResponse[];
  playing: boolean;
  /** Plays `track`, with the rest of `queue` (if given) up next. */
  play: (track: TrackResponse, queue?: TrackResponse[]) => void;
  setPlaying: (playing: boolean) => void;
  next: () => void;
};

export const usePlayer = create<PlayerState>((set, get) => ({
  current: null,
  queue: [],
  playing: false,
  play: (track, queue = []) => {
    const index = queue.findIndex((t) => t.id === track.id);
    set({ current: track, queue: index >= 0 ? queue.slice(index + 1) : queue, playing: true });
  },
  setPlaying: (playing) => set({ playing }),
  next: () => {
    const [upNext, ...rest] = get().queue;
    set(upNext ? { current: upNext, queue: rest, playing: true } : { playing: false });
  },
}));
