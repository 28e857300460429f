import type { UserEvent } from "../../../workers/api-types.ts";
import { authedFetch } from "../api.ts";

type Listener = (event: UserEvent) => void;

/**
 * One live channel per tab, shared by every component that listens (the bell, the chat badge, the
 * upload page…): opened with the first listener, closed with the last, reconnecting with backoff.
 */
export function createUserEventsChannel(openSocket: (url: URL) => WebSocket = (url) => new WebSocket(url)) {
  const listeners = new Set<Listener>();
  let userId: string | undefined;
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let generation = 0;
  let running = false;

  const connect = async (current: number) => {
    try {
      const response = await authedFetch("/api/v1/me/events/ticket", { method: "POST" });
      if (!response.ok) throw new Error(String(response.status));
      const { ticket } = (await response.json()) as { ticket: string };
      if (current !== generation) return;
      const url = new URL(`/api/v1/me/events?ticket=${encodeURIComponent(ticket)}`, window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const opened = openSocket(url);
      socket = opened;
      opened.onopen = () => {
        failures = 0;
      };
      opened.onmessage = (message) => {
        if (socket !== opened) return;
        const event = JSON.parse(String(message.data)) as UserEvent;
        for (const listener of [...listeners]) listener(event);
      };
      opened.onclose = () => {
        if (socket === opened) schedule(current);
      };
    } catch {
      schedule(current);
    }
  };

  const schedule = (current: number) => {
    if (current !== generation) return;
    failures++;
    retry = setTimeout(() => connect(current), Math.min(30_000, 500 * 2 ** failures));
  };

  const close = () => {
    running = false;
    generation++;
    clearTimeout(retry);
    const open = socket;
    socket = undefined;
    open?.close();
    failures = 0;
  };

  return {
    /** Adds a listener for `forUser`; returns the function that removes it. */
    listen(forUser: string, listener: Listener): () => void {
      if (userId !== forUser) {
        close();
        listeners.clear();
        userId = forUser;
      }
      listeners.add(listener);
      if (!running) {
        running = true;
        connect(generation);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && userId === forUser) {
          close();
          userId = undefined;
        }
      };
    },
    /** How many sockets this channel has open (for tests). */
    get open() {
      return socket ? 1 : 0;
    },
  };
}

export const userEventsChannel = createUserEventsChannel();
