import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  correctDrift,
  DEADBAND_MS,
  estimateClock,
  isNewer,
  MAX_RATE_NUDGE,
  NUDGE_WINDOW_MS,
  needsResync,
  SEEK_THRESHOLD_MS,
  STALL_GAP_MS,
  shouldPlay,
  type TimeSample,
  targetPositionMs,
} from "./sync.ts";

/** A simulated exchange: the server's clock is `offset` ahead; the trip out and back take `up` and `down` ms. */
function exchange(clientSent: number, offset: number, up: number, down: number): TimeSample {
  return { clientSent, serverTime: clientSent + up + offset, clientReceived: clientSent + up + down };
}

const delay = fc.integer({ min: 0, max: 2_000 });

describe("clock offset estimation", () => {
  it("is within half the best round trip of the true offset, and uses the lowest round trip", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1e6 }), delay, delay), { minLength: 1, maxLength: 20 }),
        (offset, trips) => {
          const samples = trips.map(([t, up, down]) => exchange(1e12 + t, offset, up, down));
          const estimate = estimateClock(samples);
          const bestRtt = Math.min(...trips.map(([, up, down]) => up + down));
          expect(estimate?.rttMs).toBe(bestRtt);
          expect(Math.abs((estimate?.offsetMs ?? Number.NaN) - offset)).toBeLessThanOrEqual(bestRtt / 2);
        },
      ),
    );
  });

  it("is exact when a trip is symmetric, whatever the other samples", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.tuple(delay, delay)),
        (offset, half, noisy) => {
          const samples = [
            ...noisy.map(([up, down]) => exchange(5e11, offset, up + half + 1, down + half + 1)),
            exchange(5e11, offset, half, half),
          ];
          expect(estimateClock(samples)?.offsetMs).toBe(offset);
        },
      ),
    );
  });

  it("ignores samples whose clock went backwards, and gives nothing without samples", () => {
    expect(estimateClock([])).toBeNull();
    expect(estimateClock([{ clientSent: 10, serverTime: 5, clientReceived: 9 }])).toBeNull();
    expect(estimateClock([{ clientSent: 10, serverTime: 115, clientReceived: 20 }])).toEqual({
      rttMs: 10,
      offsetMs: 100,
    });
  });
});

describe("the live position", () => {
  const state = fc.record({
    positionMs: fc.integer({ min: 0, max: 3_600_000 }),
    playing: fc.boolean(),
    at: fc.integer({ min: 1e12, max: 2e12 }),
  });

  it("advances one for one with the room's clock while playing, stands still while paused, never goes back", () => {
    fc.assert(
      fc.property(
        state,
        fc.integer({ min: 0, max: 1e7 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (s, elapsed, offset) => {
          const clientNow = s.at + elapsed - offset;
          const position = targetPositionMs(s, clientNow, offset);
          expect(position).toBe(s.playing ? s.positionMs + elapsed : s.positionMs);
          expect(targetPositionMs(s, clientNow + 1000, offset)).toBeGreaterThanOrEqual(position);
        },
      ),
    );
  });

  it("never passes the end of the track, and a finished track does not play", () => {
    fc.assert(
      fc.property(state, fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1, max: 1e6 }), (s, elapsed, duration) => {
        const position = targetPositionMs(s, s.at + elapsed, 0, duration);
        expect(position).toBeLessThanOrEqual(Math.max(duration, s.playing ? 0 : s.positionMs));
        if (position >= duration) expect(shouldPlay({ ...s, trackId: "t" }, position, duration)).toBe(false);
      }),
    );
  });
});

describe("drift correction", () => {
  it("leaves small drift alone, nudges the rate against medium drift, seeks to the target past the threshold", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e7 }),
        fc.integer({ min: -5_000, max: 5_000 }),
        fc.integer({ min: 0, max: 300 }),
        (target, drift, lead) => {
          const action = correctDrift(target + drift, target, lead);
          if (Math.abs(drift) <= DEADBAND_MS) expect(action).toEqual({ kind: "none", rate: 1 });
          else if (Math.abs(drift) > SEEK_THRESHOLD_MS) expect(action).toEqual({ kind: "seek", toMs: target + lead });
          else {
            expect(action.kind).toBe("nudge");
            if (action.kind !== "nudge") return;
            // Ahead plays slower, behind plays faster, never by more than the cap.
            expect(Math.sign(1 - action.rate)).toBe(Math.sign(drift));
            expect(Math.abs(action.rate - 1)).toBeLessThanOrEqual(MAX_RATE_NUDGE + 1e-12);
          }
        },
      ),
    );
  });

  it("converges: a player corrected every tick ends within the dead band of the party", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_000, max: 3_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (initialDrift, start) => {
          let target = start;
          let actual = Math.max(0, start + initialDrift);
          let rate = 1;
          const tickMs = 250;
          // At most the seek, then NUDGE_WINDOW_MS-scale convergence; 30 s is ample.
          for (let t = 0; t < 30_000; t += tickMs) {
            const action = correctDrift(actual, target);
            if (action.kind === "seek") actual = action.toMs;
            else rate = action.rate;
            target += tickMs;
            actual += tickMs * rate;
          }
          expect(Math.abs(actual - target)).toBeLessThanOrEqual(DEADBAND_MS + tickMs * MAX_RATE_NUDGE);
        },
      ),
    );
    expect(NUDGE_WINDOW_MS).toBeGreaterThan(0);
  });
});

describe("quiet resync and state order", () => {
  it("resyncs after buffering or a gap between ticks, not on regular ticks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.boolean(),
        (last, gap, buffering) => {
          expect(needsResync(last, last + gap, buffering)).toBe(buffering || gap > STALL_GAP_MS);
        },
      ),
    );
    expect(needsResync(null, 5, false)).toBe(false);
  });

  it("takes a state only if it is newer than the one it has, or from another party", () => {
    const base = {
      trackId: "t",
      positionMs: 0,
      playing: true,
      at: 1,
      hostId: "h",
      queue: [],
      coHostIds: [],
      suggestions: [],
      skipVotes: [],
      tracks: {},
      startedAt: 100,
      version: 5,
    };
    expect(isNewer({ ...base, version: 6 }, base)).toBe(true);
    expect(isNewer({ ...base, version: 5 }, base)).toBe(false);
    expect(isNewer({ ...base, version: 4 }, base)).toBe(false);
    expect(isNewer({ ...base, version: 1, startedAt: 200 }, base)).toBe(true);
    expect(isNewer(null, base)).toBe(true);
  });
});
