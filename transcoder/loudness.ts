// EBU R128 / ITU-R BS.1770 loudness from ffmpeg's ebur128 filter (its end-of-stream summary on
// stderr), and the playback gain that brings a track to the target loudness.

export type Loudness = { integratedLufs: number; truePeakDbtp: number; lra: number; gainDb: number };

/** Digital silence reads -70 LUFS (the absolute gate) and a true peak of -inf; JSON needs numbers. */
const FLOOR_DB = -144;

function parseLevel(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (/^-inf/i.test(text)) return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The values of the last "Summary:" block ebur128 printed, or null if there is none. */
export function parseEbur128Summary(
  stderr: string,
): { integrated: number; lra: number; truePeak: number | null } | null {
  const at = stderr.lastIndexOf("Summary:");
  if (at < 0) return null;
  const summary = stderr.slice(at);
  const integrated = parseLevel(/\bI:\s+(\S+)\s+LUFS/.exec(summary)?.[1]);
  const lra = parseLevel(/\bLRA:\s+(\S+)\s+LU\b/.exec(summary)?.[1]);
  const truePeak = parseLevel(/True peak:\s+Peak:\s+(\S+)\s+dBFS/.exec(summary)?.[1]);
  if (integrated === null || lra === null) return null;
  return { integrated, lra, truePeak };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** gain = target - integrated, lowered if needed so that the true peak after gain stays <= -1 dBTP. */
export function playbackGain(targetLufs: number, integratedLufs: number, truePeakDbtp: number): number {
  const wanted = targetLufs - integratedLufs;
  const headroom = -1 - truePeakDbtp;
  return Math.min(wanted, headroom);
}

export function loudnessFrom(
  summary: { integrated: number; lra: number; truePeak: number | null },
  targetLufs: number,
): Loudness {
  const integratedLufs = Math.max(FLOOR_DB, summary.integrated);
  const truePeakDbtp = Math.max(FLOOR_DB, summary.truePeak ?? FLOOR_DB);
  return {
    integratedLufs: round2(integratedLufs),
    truePeakDbtp: round2(truePeakDbtp),
    lra: round2(Math.max(0, summary.lra)),
    gainDb: round2(playbackGain(targetLufs, integratedLufs, truePeakDbtp)),
  };
}
