/** Window of the per-user send limit. */
export const SEND_WINDOW_MS = 10_000;
export const DEFAULT_SENDS_PER_WINDOW = 20;

/**
 * Fixed-window send counter per user, in memory. It is lost when the object hibernates, which
 * only happens after the room has been quiet for longer than a window, so no limit is lost
 * that still mattered.
 */
export class SendLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perWindow: number) {}

  /** 0 when the user may send now (and counts the send), otherwise milliseconds to wait. */
  take(userId: string, now: number): number {
    let window = this.windows.get(userId);
    if (!window || now - window.start >= SEND_WINDOW_MS) {
      window = { start: now, count: 0 };
      this.windows.set(userId, window);
    }
    if (window.count >= this.perWindow) return window.start + SEND_WINDOW_MS - now;
    window.count++;
    return 0;
  }
}
