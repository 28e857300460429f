import type { QueryClient } from "@tanstack/react-query";
import { api } from "../api.ts";
import { flushSavedPlayer, usePlayer } from "../stores/player.ts";
import { useSession } from "../stores/session.ts";
import { navigate } from "./router.ts";

/** Signs out: the server revokes the session; playback stops and the queue and cached data go. */
export async function signOut(queryClient: QueryClient) {
  usePlayer.getState().reset();
  flushSavedPlayer();
  await api.auth.logout.$post().catch(() => undefined);
  useSession.getState().signedOut();
  queryClient.clear();
  navigate("/");
}
