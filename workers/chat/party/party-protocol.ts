// The listening-party part of the room protocol, shared by the ChatRoom object and the web app.
// Fixed by the design: `{type:"party", action, trackId?, positionMs?}` from a host or co-host,
// `{type:"party", state}` to everyone, and `{type:"time", clientTime}` for clock sync.
// Types only, like protocol.ts (party-schema.ts validates).

/** What the host and co-hosts control. */
export const CONTROL_ACTIONS = ["start", "play", "pause", "seek", "load", "next", "end"] as const;
/** The queue, suggestions and co-hosts: also host and co-hosts only (`cohost_*`: the host only). */
export const QUEUE_ACTIONS = ["queue_add", "queue_remove", "queue_move", "accept", "dismiss"] as const;
export const HOST_ACTIONS = ["cohost_add", "cohost_remove"] as const;
/** Anyone present: suggest a track, vote to skip, report that the current track finished. */
export const MEMBER_ACTIONS = ["suggest", "vote_skip", "ended"] as const;

export const PARTY_ACTIONS = [...CONTROL_ACTIONS, ...QUEUE_ACTIONS, ...HOST_ACTIONS, ...MEMBER_ACTIONS] as const;
export type PartyAction = (typeof PARTY_ACTIONS)[number];

/** Queue length and suggestion count are bounded so that the state frame stays small. */
export const MAX_QUEUE = 200;
export const MAX_SUGGESTIONS = 50;
export const MAX_COHOSTS = 20;

export type PartyFrame = {
  type: "party";
  action: PartyAction;
  trackId?: string;
  positionMs?: number;
  /** queue_remove / queue_move: the entry's index; queue_move: where it goes. */
  index?: number;
  to?: number;
  /** cohost_add / cohost_remove. */
  userId?: string;
};

/** Clock sync: the room answers with its time. */
export type TimeFrame = { type: "time"; clientTime: number };

export type PartyClientFrame = PartyFrame | TimeFrame;

/** What members see of a track in the party (the same card a chat share shows). */
export type PartyTrack = { id: string; title: string; artist: string; durationMs: number | null };

export type PartySuggestion = { trackId: string; userId: string };

export type PartyState = {
  /** The current track, or null between tracks. */
  trackId: string | null;
  /** The position at server time `at`; while playing, the live position is `positionMs + (now − at)`. */
  positionMs: number;
  playing: boolean;
  /** Server time of the last change (ms since the epoch). */
  at: number;
  hostId: string;
  /** Track ids up next, in order. */
  queue: string[];
  coHostIds: string[];
  suggestions: PartySuggestion[];
  /** Users who voted to skip the current track. */
  skipVotes: string[];
  /** Cards for every track id above. */
  tracks: Record<string, PartyTrack>;
  startedAt: number;
  /** Increases with every change: a client ignores a state older than the one it has. */
  version: number;
};

export type PartyServerFrame =
  | { type: "party"; state: PartyState | null }
  | { type: "time"; clientTime: number; serverTime: number };

/** The position at server time `now` (a paused party stays where it is; never past the track's end). */
export function livePositionMs(
  state: Pick<PartyState, "positionMs" | "playing" | "at">,
  now: number,
  durationMs?: number | null,
): number {
  const position = state.playing ? state.positionMs + Math.max(0, now - state.at) : state.positionMs;
  return durationMs ? Math.min(position, durationMs) : position;
}
