/**
 * Quiet hours: a daily window in the user's own time zone (22:00–07:00 may cross midnight).
 * During it push messages are sent silent (no sound, no vibration, low urgency) rather than held
 * back: the notification still waits on the device in the morning, and nothing has to be stored
 * and re-sent later. The inbox has everything either way.
 */
export type QuietHours = { start: number; end: number; timeZone: string };

const MINUTES_PER_DAY = 24 * 60;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Is `timeZone` an IANA zone this runtime knows ("Europe/Paris", "UTC")? */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes after local midnight in `timeZone` at `now` (ms since the epoch). */
export function localMinuteOfDay(now: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(now));
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return ((hour % 24) * 60 + minute) % MINUTES_PER_DAY;
}

/** Is `now` inside the quiet window [start, end)? */
export function isQuietTime(quiet: QuietHours | null, now: number): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  const minute = localMinuteOfDay(now, quiet.timeZone);
  return quiet.start < quiet.end
    ? minute >= quiet.start && minute < quiet.end
    : minute >= quiet.start || minute < quiet.end;
}

/** "22:30" ⇄ 1350. */
export function minutesToClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function clockToMinutes(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
