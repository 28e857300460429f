import { useEffect } from "react";
import { api, refreshAccessToken } from "../api.ts";
import { useSession } from "../stores/session.ts";

/** On start, turns the refresh cookie (if any) back into a signed-in session. */
export function useRestoreSession() {
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const token = await refreshAccessToken();
      if (token && !cancelled) {
        const response = await api.me.$get();
        if (response.ok && !cancelled) useSession.getState().signedIn(await response.json(), token);
      }
      if (!cancelled) useSession.getState().markRestored();
    })();
    return () => {
      cancelled = true;
    };
  }, []);
}
