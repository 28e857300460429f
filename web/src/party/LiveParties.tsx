import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";

const REFRESH_MS = 30_000;

/** "Live now": rooms with a listening party the viewer may enter; nothing when there are none. */
export function LiveParties() {
  const t = useT();
  const keys = useQueryKeys();
  const live = useQuery({
    queryKey: keys.liveParties(),
    queryFn: () => unwrap(api.parties.live.$get()),
    refetchInterval: REFRESH_MS,
  });
  const items = live.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="home-live">
      <h2 id="home-live" className="mb-2 text-lg font-semibold">
        {t("party.live")}
      </h2>
      <ul className="flex flex-col gap-1">
        {items.map((party) => (
          <li key={party.roomId}>
            <Link href={`/chat/${party.roomId}`} className="target-link">
              {party.track
                ? t("party.liveEntry", { room: party.name, title: `${party.track.title} · ${party.track.artist}` })
                : t("party.liveNoTrack", { room: party.name })}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
