import { useEffect, useRef } from "react";
import type { UserEvent } from "../../../workers/api-types.ts";
import { authedFetch } from "../api.ts";
import { useSession } from "../stores/session.ts";

/** Listens to the signed-in user's live channel (track status changes), reconnecting with backoff. */
export function useUserEvents(onEvent: (event: UserEvent) => void) {
  const userId = useSession((s) => s.user?.id);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!userId) return;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    let failures = 0;

    const connect = async () => {
      try {
        const response = await authedFetch("/api/v1/me/events/ticket", { method: "POST" });
        if (!response.ok) throw new Error(String(response.status));
        const { ticket } = (await response.json()) as { ticket: string };
        if (closed) return;
        const url = new URL(`/api/v1/me/events?ticket=${encodeURIComponent(ticket)}`, window.location.href);
        url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
        socket = new WebSocket(url);
        socket.onopen = () => {
          failures = 0;
        };
        socket.onmessage = (message) => handler.current(JSON.parse(String(message.data)) as UserEvent);
        socket.onclose = () => schedule();
      } catch {
        schedule();
      }
    };
    const schedule = () => {
      if (closed) return;
      failures++;
      retry = setTimeout(connect, Math.min(30_000, 500 * 2 ** failures));
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [userId]);
}
