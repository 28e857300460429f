import type { Env } from "../../env.ts";
import { announceParty } from "../../notifications/fanout/announce.ts";
import { errorFields, log } from "../../shared/log.ts";
import type { ErrorCode, ServerFrame } from "../protocol.ts";
import { resolveShare } from "../share.ts";
import type { PartyFrame, PartyState, PartyTrack } from "./party-protocol.ts";
import { PartyStore } from "./party-store.ts";
import { applyPartyCommand, handOver, trackOfCommand } from "./state-machine.ts";

/** An empty party ends after this long (PARTY_EMPTY_MS overrides it). */
export const DEFAULT_EMPTY_MS = 3 * 60_000;
/** A host who drops (a reload, a flaky network) keeps control this long (PARTY_HOST_GRACE_MS). */
export const DEFAULT_HOST_GRACE_MS = 10_000;

type SocketPresence = { id: string; connectedAt: number } | null;

export type PartyHooks = {
  roomId: () => string;
  broadcast: (frame: ServerFrame) => void;
  /** Users on sockets the room's shards hold (they joined after the room's own sockets filled up). */
  shardUsers: () => string[];
  scheduleAlarm: (at: number) => Promise<void>;
};

function durationSetting(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

/**
 * The listening party of one room, inside its ChatRoom object: orders and applies the party
 * commands (state-machine.ts), stores every change, broadcasts the full state through the room's
 * fan-out, hands control over when the host leaves, ends an empty party, and keeps the room's
 * row in D1 up to date for the "Live now" list.
 */
export class PartyRoom {
  private readonly store: PartyStore;
  private readonly emptyMs: number;
  private readonly hostGraceMs: number;
  private hostAwaySince: number | undefined;
  /** D1 writes go out in the order of the changes they describe. */
  private reported: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly hooks: PartyHooks,
  ) {
    this.store = new PartyStore(ctx.storage.sql);
    this.emptyMs = durationSetting(env.PARTY_EMPTY_MS, DEFAULT_EMPTY_MS);
    this.hostGraceMs = durationSetting(env.PARTY_HOST_GRACE_MS, DEFAULT_HOST_GRACE_MS);
  }

  state(): PartyState | null {
    return this.store.get();
  }

  /** Users with an open socket, longest-present first. */
  present(): string[] {
    const since = new Map<string, number>();
    for (const socket of this.ctx.getWebSockets()) {
      const info = socket.deserializeAttachment() as SocketPresence;
      if (!info) continue;
      since.set(info.id, Math.min(since.get(info.id) ?? Number.POSITIVE_INFINITY, info.connectedAt));
    }
    const own = [...since.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
    return [...new Set([...own, ...this.hooks.shardUsers()])];
  }

  async command(actorId: string, frame: PartyFrame, refuse: (code: ErrorCode, message: string) => void): Promise<void> {
    const trackId = trackOfCommand(this.store.get(), frame);
    let track: PartyTrack | undefined;
    if (trackId) {
      const card = await resolveShare(this.env, this.hooks.roomId(), { kind: "track", id: trackId });
      if (!card || card.kind !== "track") {
        return refuse("track_not_visible", "Not everyone in this room may hear that track.");
      }
      track = { id: card.id, title: card.title, artist: card.artist, durationMs: card.durationMs };
    }
    // Read the state only now: other commands may have been applied while the track was looked up.
    const before = this.store.get();
    const result = applyPartyCommand(before, frame, { now: Date.now(), actorId, present: this.present(), track });
    if (!result.ok) return refuse(result.code, result.message);
    if (result.unchanged) return;
    this.change(before, result.state);
  }

  /** A socket joined: the room is no longer empty (and a returning host is back in time). */
  joined(userId: string): void {
    this.store.setEmptySince(null);
    if (this.store.get()?.hostId === userId) this.hostAwaySince = undefined;
  }

  /** A user's last socket left: maybe hand control over (after a grace period), maybe start the empty clock. */
  left(now: number): void {
    const state = this.store.get();
    if (!state) return;
    const present = this.present();
    if (present.length === 0) {
      this.store.setEmptySince(now);
      this.ctx.waitUntil(this.hooks.scheduleAlarm(now + this.emptyMs));
    } else if (!present.includes(state.hostId)) {
      this.hostAwaySince ??= now;
      if (this.hostGraceMs === 0) this.change(state, handOver(state, present, now));
      else this.ctx.waitUntil(this.hooks.scheduleAlarm(now + this.hostGraceMs));
    }
  }

  /** From the room's alarm: ends a party empty for long enough, hands over a host gone for long enough. */
  async alarm(now: number): Promise<void> {
    const state = this.store.get();
    if (!state) return;
    const present = this.present();
    const emptySince = this.store.emptySince();
    if (present.length === 0 && emptySince !== null) {
      if (now - emptySince >= this.emptyMs) this.change(state, null);
      else await this.hooks.scheduleAlarm(emptySince + this.emptyMs);
    } else if (present.length > 0 && !present.includes(state.hostId)) {
      const away = this.hostAwaySince ?? now - this.hostGraceMs;
      if (now - away >= this.hostGraceMs) this.change(state, handOver(state, present, now));
      else await this.hooks.scheduleAlarm(away + this.hostGraceMs);
    }
    await this.reported;
  }

  private change(before: PartyState | null, after: PartyState | null): void {
    if (after && before?.hostId !== after.hostId) this.hostAwaySince = undefined;
    this.store.save(after);
    this.hooks.broadcast({ type: "party", state: after });
    if (before?.trackId !== after?.trackId || (before === null) !== (after === null)) {
      this.report(after, before === null && after !== null);
    }
  }

  /**
   * Marks the room live (or not) in D1, for `GET /api/v1/parties/live`; once a new party is marked,
   * its start is announced (the fan-out checks the mark, so it must land first).
   */
  private report(state: PartyState | null, started: boolean): void {
    const roomId = this.hooks.roomId();
    if (!roomId) return;
    const statement = this.env.DB.prepare(
      "UPDATE rooms SET party_started_at = ?1, party_track_id = ?2 WHERE id = ?3",
    ).bind(state?.startedAt ?? null, state?.trackId ?? null, roomId);
    this.reported = this.reported.then(() =>
      statement.run().then(
        () =>
          started && state
            ? announceParty(this.env, { roomId, hostId: state.hostId, startedAt: state.startedAt })
            : undefined,
        (error: unknown) =>
          log("error", "party.live_list_failed", { object: "ChatRoom", roomId, ...errorFields(error) }),
      ),
    );
    this.ctx.waitUntil(this.reported);
  }
}
