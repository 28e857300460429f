import { useEffect, useRef } from "react";
import { api } from "../../api.ts";
import { useT } from "../../i18n/i18n.ts";
import { playQualifies } from "../../lib/format.ts";
import { registerAudioElement } from "../../lib/player/audio-element.ts";
import { setMediaSession, setMediaSessionState } from "../../lib/player/media-session.ts";
import { oneTabPlayback } from "../../lib/player/one-tab.ts";
import { outputVolume } from "../../lib/player/quality.ts";
import { attachSource, preloadHls } from "../../lib/player/source.ts";
import { usePlayer } from "../../stores/player.ts";

/**
 * The one <audio> element, driven by the player store: loads the current track, applies play,
 * pause, seeks and volume (with the track's loudness gain), reports the play once, keeps the
 * Media Session in step, and pauses when another tab starts playing.
 */
export function AudioEngine({ onError }: { onError: (message: string | null) => void }) {
  const t = useT();
  const audio = useRef<HTMLAudioElement>(null);
  const current = usePlayer((s) => s.current);
  const playing = usePlayer((s) => s.playing);
  const quality = usePlayer((s) => s.quality);
  const seekSeq = usePlayer((s) => s.seekSeq);
  const volume = usePlayer((s) => s.volume);
  const muted = usePlayer((s) => s.muted);
  const normalize = usePlayer((s) => s.normalize);
  const gainDb = useRef<number | null>(null);
  const listened = useRef({ ms: 0, lastTime: 0, reported: false });
  const tabs = useRef<ReturnType<typeof oneTabPlayback> | null>(null);
  const pendingSeek = useRef<number | null>(null);

  useEffect(() => {
    registerAudioElement(audio.current);
    tabs.current = oneTabPlayback(() => {
      if (usePlayer.getState().playing) {
        usePlayer.getState().setPlaying(false);
        onError(t("player.otherTab"));
      }
    });
    // hls.js (~110 KB) is not part of the first load: it is fetched a little after the page is up.
    const timer = setTimeout(() => (window.requestIdleCallback ?? setTimeout)(() => preloadHls()), 2000);
    return () => {
      clearTimeout(timer);
      tabs.current?.close();
      registerAudioElement(null);
    };
  }, [onError, t]);

  // Load the current track (and again when the quality setting changes), resuming where it was.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload only for a new track or quality
  useEffect(() => {
    const element = audio.current;
    if (!current || !element) return;
    const controller = new AbortController();
    let detach: (() => void) | undefined;
    listened.current = { ms: 0, lastTime: 0, reported: false };
    onError(null);
    const resumeAt = usePlayer.getState().position;
    pendingSeek.current = resumeAt > 0 ? resumeAt : null;
    attachSource(element, current.id, quality, controller.signal)
      .then((source) => {
        detach = source.detach;
        gainDb.current = source.gainDb;
        element.dataset.source = source.kind;
        applyVolume();
        if (usePlayer.getState().playing) element.play().catch(() => usePlayer.getState().setPlaying(false));
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          onError((error as Error).message || t("player.cannotPlay"));
          usePlayer.getState().setPlaying(false);
        }
      });
    setMediaSession(current, {
      play: () => usePlayer.getState().setPlaying(true),
      pause: () => usePlayer.getState().setPlaying(false),
      previous: () => usePlayer.getState().previous(),
      next: () => usePlayer.getState().next(),
      seek: (s) => usePlayer.getState().seek(s),
      position: () => usePlayer.getState().position,
    });
    return () => {
      controller.abort();
      detach?.();
    };
  }, [current?.id, quality]);

  useEffect(() => {
    if (!current) {
      audio.current?.pause();
      audio.current?.removeAttribute("src");
      setMediaSession(null, {} as never);
    }
  }, [current]);

  useEffect(() => {
    const element = audio.current;
    if (!element?.src) return;
    if (playing && element.paused) element.play().catch(() => usePlayer.getState().setPlaying(false));
    if (!playing && !element.paused) element.pause();
  }, [playing]);

  useEffect(() => {
    const element = audio.current;
    if (!element || seekSeq === 0) return;
    const target = usePlayer.getState().seekTarget;
    if (element.readyState >= 1) element.currentTime = target;
    else pendingSeek.current = target;
  }, [seekSeq]);

  function applyVolume() {
    const s = usePlayer.getState();
    if (audio.current) audio.current.volume = outputVolume(s.volume, s.muted, gainDb.current, s.normalize);
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: applyVolume reads these from the store
  useEffect(applyVolume, [volume, muted, normalize]);

  function onTimeUpdate() {
    const element = audio.current;
    const track = usePlayer.getState().current;
    if (!element || !track) return;
    const delta = element.currentTime - listened.current.lastTime;
    if (delta > 0 && delta < 2) listened.current.ms += delta * 1000;
    listened.current.lastTime = element.currentTime;
    usePlayer.getState().setTime({ position: element.currentTime });
    setMediaSessionState(!element.paused, element.currentTime, element.duration);
    if (!listened.current.reported && playQualifies(listened.current.ms, track.durationMs)) {
      listened.current.reported = true;
      void api.tracks[":id"].plays.$post({
        param: { id: track.id },
        json: { listenedMs: Math.round(listened.current.ms) },
      });
    }
  }

  function onLoadedMetadata(element: HTMLAudioElement) {
    const duration = Number.isFinite(element.duration) ? element.duration : (current?.durationMs ?? 0) / 1000;
    usePlayer.getState().setTime({ duration });
    if (pendingSeek.current !== null) {
      element.currentTime = pendingSeek.current;
      listened.current.lastTime = pendingSeek.current;
      pendingSeek.current = null;
    }
  }

  return (
    // biome-ignore lint/a11y/useMediaCaption: music has no captions; the title and artist are shown as text
    <audio
      ref={audio}
      preload="auto"
      data-testid="audio"
      onTimeUpdate={onTimeUpdate}
      onLoadedMetadata={(e) => onLoadedMetadata(e.currentTarget)}
      onPlay={() => {
        usePlayer.getState().setPlaying(true);
        tabs.current?.announce();
      }}
      onPause={(e) => {
        if (!e.currentTarget.ended) usePlayer.getState().setPlaying(false);
      }}
      onEnded={() => usePlayer.getState().next(true)}
      onError={() => {
        if (audio.current?.getAttribute("src")) onError(t("player.failed"));
      }}
    />
  );
}
