import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import type { TrackResponse } from "../../../workers/api-types.ts";
import { api, unwrap } from "../api.ts";
import { Artwork } from "../components/Artwork.tsx";
import { Icon } from "../components/Icon.tsx";
import { Link } from "../components/Link.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { ReorderableList } from "../components/ReorderableList.tsx";
import { TrackList } from "../components/TrackList.tsx";
import { useT } from "../i18n/i18n.ts";
import { saveForOffline } from "../lib/offline.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { navigate } from "../lib/router.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { usePlayer } from "../stores/player.ts";
import { useSession } from "../stores/session.ts";

export function PlaylistPage({ id }: { id: string }) {
  const t = useT();
  const user = useSession((s) => s.user);
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState<{ done: number; total: number } | null>(null);
  const titleId = useId();
  const playlist = useQuery({
    queryKey: keys.playlist(id),
    queryFn: async () => {
      const [info, entries] = await Promise.all([
        unwrap(api.playlists[":id"].$get({ param: { id } })),
        unwrap(api.playlists[":id"].tracks.$get({ param: { id }, query: { limit: 100 } })),
      ]);
      return { info, tracks: entries.items.map((entry) => entry.track) };
    },
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.playlist(id) });
  const fail = (failure: Error) => setError(failure.message);
  const rename = useMutation({
    mutationFn: (title: string) => unwrap(api.playlists[":id"].$patch({ param: { id }, json: { title } })),
    onSuccess: () => setEditing(false),
    onError: fail,
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.playlists[":id"].$delete({ param: { id } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.playlists() });
      navigate("/library");
    },
    onError: fail,
  });
  const move = useMutation({
    mutationFn: ({ trackId, to }: { trackId: string; from: number; to: number }) =>
      unwrap(api.playlists[":id"].tracks[":trackId"].$patch({ param: { id, trackId }, json: { position: to } })),
    onMutate: ({ from, to }) => {
      // Show the new order at once; the refetch confirms it.
      queryClient.setQueryData(keys.playlist(id), (old: { info: unknown; tracks: TrackResponse[] } | undefined) => {
        if (!old) return old;
        const tracks = [...old.tracks];
        const [moved] = tracks.splice(from, 1);
        if (moved) tracks.splice(to, 0, moved);
        return { ...old, tracks };
      });
    },
    onError: fail,
    onSettled: refresh,
  });
  const removeTrack = useMutation({
    mutationFn: (trackId: string) =>
      unwrap(api.playlists[":id"].tracks[":trackId"].$delete({ param: { id, trackId } })),
    onError: fail,
    onSettled: refresh,
  });

  const saveAll = async (tracks: TrackResponse[]) => {
    setOffline({ done: 0, total: tracks.length });
    for (const [i, track] of tracks.entries()) {
      try {
        await saveForOffline(track.id, undefined, track);
      } catch (failure) {
        setError((failure as Error).message);
      }
      setOffline({ done: i + 1, total: tracks.length });
    }
  };

  return (
    <QueryView query={playlist}>
      {({ info, tracks }) => {
        const mine = user?.id === info.owner.id;
        const submitRename = (event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          const title = String(new FormData(event.currentTarget).get("title") ?? "").trim();
          if (title) rename.mutate(title);
        };
        return (
          <article className="flex flex-col gap-5 py-6">
            <header className="flex items-center gap-4">
              <Artwork src={null} name={info.title} className="size-24 text-3xl sm:size-36" />
              <div className="flex min-w-0 flex-col gap-1">
                <p className="text-sm text-muted">{t("playlist.label")}</p>
                {editing ? (
                  <form onSubmit={submitRename} className="flex gap-2">
                    <label htmlFor={titleId} className="sr-only">
                      {t("playlist.rename")}
                    </label>
                    <input
                      id={titleId}
                      name="title"
                      defaultValue={info.title}
                      required
                      maxLength={200}
                      className="input min-w-0 flex-1"
                    />
                    <button type="submit" className="btn-primary">
                      {t("playlist.save")}
                    </button>
                  </form>
                ) : (
                  <PageTitle className="truncate text-2xl font-bold sm:text-3xl">{info.title}</PageTitle>
                )}
                <p className="text-muted">
                  <Link href={`/u/${info.owner.username}`}>{info.owner.displayName}</Link> ·{" "}
                  {t("profile.tracks", { count: tracks.length })}
                </p>
              </div>
            </header>
            <div className="flex flex-wrap gap-2">
              <button
                type="button"
                className="btn-primary"
                disabled={tracks.length === 0}
                onClick={() => tracks[0] && usePlayer.getState().play(tracks[0], tracks)}
              >
                <Icon name="play" />
                {t("playlist.playAll")}
              </button>
              <button type="button" className="btn" disabled={tracks.length === 0} onClick={() => void saveAll(tracks)}>
                <Icon name="download" />
                {t("track.saveOffline")}
              </button>
              {mine && !editing && (
                <button type="button" className="btn" onClick={() => setEditing(true)}>
                  {t("playlist.rename")}
                </button>
              )}
              {mine && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => window.confirm(t("playlist.confirmDelete", { title: info.title })) && remove.mutate()}
                >
                  {t("playlist.delete")}
                </button>
              )}
            </div>
            {offline && (
              <p role="status" className="text-sm text-muted">
                {offline.done < offline.total
                  ? t("playlist.savingOffline", { done: offline.done, total: offline.total })
                  : t("track.savedOffline")}
              </p>
            )}
            {error && (
              <p role="alert" className="text-danger">
                {error}
              </p>
            )}
            {tracks.length === 0 ? (
              <p className="text-muted">{t("playlist.empty")}</p>
            ) : mine ? (
              <ReorderableList
                testId="playlist-tracks"
                items={tracks}
                keyOf={(track) => track.id}
                titleOf={(track) => track.title}
                onMove={(from, to) => move.mutate({ trackId: (tracks[from] as TrackResponse).id, from, to })}
                onRemove={(index) => removeTrack.mutate((tracks[index] as TrackResponse).id)}
                removeLabel={(title) => t("playlist.removeTrack", { title })}
                render={(track) => (
                  <>
                    <button
                      type="button"
                      className="icon-button"
                      onClick={() => usePlayer.getState().play(track, tracks)}
                      aria-label={t("track.playLabel", { title: track.title, artist: track.artist })}
                    >
                      <Icon name="play" />
                    </button>
                    <Link href={`/tracks/${track.id}`} className="min-w-0 truncate py-2.5 font-medium">
                      {track.title}
                    </Link>
                    <span className="hidden truncate text-sm text-muted sm:inline">{track.artist}</span>
                  </>
                )}
              />
            ) : (
              <TrackList tracks={tracks} label={info.title} />
            )}
          </article>
        );
      }}
    </QueryView>
  );
}
