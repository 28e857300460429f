import { api, unwrap } from "../api.ts";
import { useSession } from "../stores/session.ts";

/** Reloads the signed-in user (after verifying or changing the address) into the session. */
export async function reloadSessionUser(): Promise<void> {
  const { user, accessToken } = useSession.getState();
  if (!user || !accessToken) return;
  const fresh = await unwrap(api.me.$get());
  const current = useSession.getState();
  if (current.user?.id === fresh.id && current.accessToken) current.signedIn(fresh, current.accessToken);
}
