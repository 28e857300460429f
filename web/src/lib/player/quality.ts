import type { QualityChoice } from "../../stores/player.ts";

type Quality = "low" | "medium" | "high";
type NetworkInfo = { downlink?: number; effectiveType?: string; saveData?: boolean };

/**
 * The progressive rendition to ask for when HLS is not available: the pinned one, or one the
 * network can carry (Network Information API where the browser has it; medium otherwise).
 */
export function progressiveQuality(
  choice: QualityChoice,
  network: NetworkInfo | undefined = (navigator as Navigator & { connection?: NetworkInfo }).connection,
): Quality {
  if (choice !== "auto") return choice;
  if (!network) return "medium";
  if (network.saveData || network.effectiveType === "slow-2g" || network.effectiveType === "2g") return "low";
  if (network.effectiveType === "3g") return "low";
  const mbps = network.downlink ?? 0;
  if (mbps >= 5) return "high";
  if (mbps >= 1.5) return "medium";
  return mbps > 0 ? "low" : "medium";
}

/** Output volume from the listener's level and the track's loudness gain: an element can only attenuate. */
export function outputVolume(volume: number, muted: boolean, gainDb: number | null, normalize: boolean): number {
  if (muted) return 0;
  const gain = normalize && gainDb !== null ? Math.min(1, 10 ** (gainDb / 20)) : 1;
  return Math.max(0, Math.min(1, volume * gain));
}
