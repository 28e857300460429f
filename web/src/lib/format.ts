/** 0:07, 3:25, 1:02:03 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–:––";
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A play counts once the listener heard 30 s or half the track, whichever comes first. */
export function playQualifies(listenedMs: number, durationMs: number | null): boolean {
  return listenedMs >= 30_000 || (durationMs !== null && durationMs > 0 && listenedMs >= durationMs / 2);
}
