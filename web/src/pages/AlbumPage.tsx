import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { Artwork } from "../components/Artwork.tsx";
import { Icon } from "../components/Icon.tsx";
import { Link } from "../components/Link.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { TrackList } from "../components/TrackList.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { usePlayer } from "../stores/player.ts";

export function AlbumPage({ id }: { id: string }) {
  const t = useT();
  const keys = useQueryKeys();
  const album = useQuery({
    queryKey: keys.album(id),
    queryFn: () => unwrap(api.albums[":id"].$get({ param: { id } })),
  });
  return (
    <QueryView query={album}>
      {(data) => (
        <article className="flex flex-col gap-5 py-6">
          <header className="flex items-center gap-4">
            <Artwork src={data.coverUrl} name={data.title} className="size-28 text-3xl sm:size-40" />
            <div className="flex min-w-0 flex-col gap-1">
              <p className="text-sm text-muted">{t("albums.label")}</p>
              <PageTitle className="truncate text-2xl font-bold sm:text-3xl">{data.title}</PageTitle>
              <p className="text-muted">
                <Link href={`/u/${data.owner.username}`}>{data.owner.displayName}</Link>
                {data.releasedOn && ` · ${data.releasedOn.slice(0, 4)}`} ·{" "}
                {t("profile.tracks", { count: data.tracks.length })}
              </p>
            </div>
          </header>
          <button
            type="button"
            className="btn-primary self-start"
            disabled={data.tracks.length === 0}
            onClick={() => data.tracks[0] && usePlayer.getState().play(data.tracks[0], data.tracks)}
          >
            <Icon name="play" />
            {t("playlist.playAll")}
          </button>
          {data.description && <p className="whitespace-pre-line">{data.description}</p>}
          <TrackList tracks={data.tracks} label={data.title} />
        </article>
      )}
    </QueryView>
  );
}
