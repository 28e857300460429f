import type { QueryClient } from "@tanstack/react-query";
import { api } from "../api.ts";
import { disablePush } from "../push/push-device.ts";
import { flushSavedPlayer, usePlayer } from "../stores/player.ts";
import { useSession } from "../stores/session.ts";
import { navigate } from "./router.ts";

/**
 * Signs out: the server revokes the session; playback stops, the queue and cached data go, and this
 * browser's push subscription with them.
 */
export async function signOut(queryClient: QueryClient) {
  usePlayer.getState().reset();
  flushSavedPlayer();
  // While the session still works: this browser stops receiving the account's push notifications.
  await disablePush().catch(() => undefined);
  await api.auth.logout.$post().catch(() => undefined);
  useSession.getState().signedOut();
  queryClient.clear();
  navigate("/");
}
