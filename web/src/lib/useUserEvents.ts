import { useEffect, useRef } from "react";
import type { UserEvent } from "../../../workers/api-types.ts";
import { useSession } from "../stores/session.ts";
import { userEventsChannel } from "./user-events-channel.ts";

/** Listens to the signed-in user's live channel; every listener in a tab shares one socket. */
export function useUserEvents(onEvent: (event: UserEvent) => void) {
  const userId = useSession((s) => s.user?.id);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!userId) return;
    return userEventsChannel.listen(userId, (event) => handler.current(event));
  }, [userId]);
}
