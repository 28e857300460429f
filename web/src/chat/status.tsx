import { useQuery } from "@tanstack/react-query";
import { useEffect, useId } from "react";
import { create } from "zustand";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { usePlayer } from "../stores/player.ts";
import { useSession } from "../stores/session.ts";

/** While the app is open it says so (and what plays) once a minute; followers read it when they look. */
const HEARTBEAT_MS = 60_000;

/** Whether the signed-in user hides their status, as the server last said (null: not known yet). */
export const useMyStatus = create<{ hidden: boolean | null }>(() => ({ hidden: null }));

async function putStatus(body: { trackId?: string | null; hidden?: boolean }) {
  const stored = await unwrap(api.me.status.$put({ json: body }));
  useMyStatus.setState({ hidden: stored.hidden });
}

/** Mounted once for a signed-in user: the heartbeat, and the playing track when it changes. */
export function StatusHeartbeat() {
  const userId = useSession((s) => s.user?.id);
  const trackId = usePlayer((s) => (s.playing ? (s.current?.id ?? null) : null));
  useEffect(() => {
    if (!userId) return;
    const beat = () => void putStatus({ trackId }).catch(() => undefined);
    beat();
    const timer = setInterval(beat, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [userId, trackId]);
  return null;
}

/** Settings: show or hide my status from followers. */
export function StatusSetting() {
  const t = useT();
  const id = useId();
  const hidden = useMyStatus((s) => s.hidden);
  const signedIn = useSession((s) => !!s.user);
  if (!signedIn) return null;
  return (
    <label htmlFor={id} className="flex min-h-11 items-center gap-3">
      <input
        id={id}
        type="checkbox"
        className="size-5 accent-accent"
        checked={hidden === false}
        disabled={hidden === null}
        onChange={(e) => void putStatus({ hidden: !e.target.checked }).catch(() => undefined)}
      />
      {t("status.share")}
    </label>
  );
}

/** On a profile the viewer follows: online, and what they are listening to. */
export function UserStatusLine({ username }: { username: string }) {
  const t = useT();
  const keys = useQueryKeys();
  const status = useQuery({
    queryKey: [...keys.profile(username), "status"],
    queryFn: () => unwrap(api.users[":username"].status.$get({ param: { username } })),
    retry: false,
    refetchInterval: 60_000,
  });
  if (!status.data?.online) return null;
  const track = status.data.track;
  return (
    <p className="text-sm text-muted">
      <span aria-hidden="true" className="mr-1 inline-block size-2 rounded-full bg-accent" />
      {track ? (
        <>
          {t("status.listening")}{" "}
          <Link href={`/tracks/${track.id}`}>{t("status.track", { title: track.title, artist: track.artist })}</Link>
        </>
      ) : (
        t("status.online")
      )}
    </p>
  );
}
