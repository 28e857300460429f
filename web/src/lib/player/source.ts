import { ApiError, api, unwrap } from "../../api.ts";
import type { QualityChoice } from "../../stores/player.ts";
import { offlineAudio } from "../offline.ts";
import { progressiveQuality } from "./quality.ts";

/** How a track reached the <audio> element, and its loudness gain (for normalisation). */
export type AttachedSource = { kind: "offline" | "native-hls" | "hls.js" | "progressive"; gainDb: number | null };

type HlsInstance = { destroy(): void };
let hlsModule: Promise<typeof import("hls.js/light")> | null = null;
/** hls.js is loaded on demand (its own chunk); `preloadHls` warms it while the app is idle. */
export const loadHls = () => (hlsModule ??= import("hls.js/light"));
export const preloadHls = () => {
  if (typeof MediaSource !== "undefined") void loadHls().catch(() => (hlsModule = null));
};

const canPlayHlsNatively = (audio: HTMLMediaElement) => audio.canPlayType("application/vnd.apple.mpegurl") !== "";

/**
 * Points `audio` at the track: a copy saved for offline first; otherwise, with the quality on
 * "auto", adaptive HLS (the browser's own or hls.js over MSE) so the bitrate follows the network;
 * otherwise (a pinned quality, or no HLS support) the progressive rendition. Resolves once the
 * source is set; `detach` undoes it.
 */
export async function attachSource(
  audio: HTMLAudioElement,
  trackId: string,
  quality: QualityChoice,
  signal: AbortSignal,
): Promise<AttachedSource & { detach: () => void }> {
  const saved = await offlineAudio(trackId);
  if (saved) {
    audio.src = saved.url;
    return { kind: "offline", gainDb: saved.gainDb, detach: () => audio.removeAttribute("src") };
  }
  const streamAt = (query: { quality?: "low" | "medium" | "high" }) =>
    unwrap(api.tracks[":id"].stream.$get({ param: { id: trackId }, query }, { init: { signal } }));
  // A track from a low-bitrate source has no higher renditions: then the best one it has.
  const progressive = (q: QualityChoice) =>
    streamAt({ quality: progressiveQuality(q) }).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === "quality_unavailable") return streamAt({});
      throw error;
    });
  const adaptive = quality === "auto" && (canPlayHlsNatively(audio) || typeof MediaSource !== "undefined");
  if (!adaptive) {
    const stream = await progressive(quality);
    signal.throwIfAborted();
    audio.src = stream.url;
    return { kind: "progressive", gainDb: stream.gainDb, detach: () => audio.removeAttribute("src") };
  }

  // The stream answer carries the gain; asked for in parallel with the playlist, it costs no time.
  const [master, stream] = await Promise.all([
    unwrap(api.tracks[":id"].hls.$get({ param: { id: trackId } }, { init: { signal } })),
    progressive("auto"),
  ]);
  signal.throwIfAborted();
  // hls.js over MSE first: Chromium's own HLS starts several times slower on a slow link (it
  // buffers more before it plays); the browser's HLS where there is no MSE (older iOS).
  const Hls = typeof MediaSource !== "undefined" ? (await loadHls()).default : null;
  signal.throwIfAborted();
  if (!Hls?.isSupported()) {
    if (canPlayHlsNatively(audio)) {
      audio.src = master.url;
      return { kind: "native-hls", gainDb: stream.gainDb, detach: () => audio.removeAttribute("src") };
    }
    audio.src = stream.url;
    return { kind: "progressive", gainDb: stream.gainDb, detach: () => audio.removeAttribute("src") };
  }
  const hls: HlsInstance & InstanceType<typeof Hls> = new Hls({ maxBufferLength: 30, startFragPrefetch: true });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    // Fall back to the progressive rendition, where the listener was.
    const at = audio.currentTime;
    hls.destroy();
    audio.src = stream.url;
    audio.currentTime = at;
    void audio.play().catch(() => {});
  });
  hls.loadSource(master.url);
  hls.attachMedia(audio);
  return { kind: "hls.js", gainDb: stream.gainDb, detach: () => hls.destroy() };
}
