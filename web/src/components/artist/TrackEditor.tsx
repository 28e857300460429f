import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import type { TrackResponse } from "../../../../workers/api-types.ts";
import { api, authedFetch, errorMessage, unwrap } from "../../api.ts";
import { useT } from "../../i18n/i18n.ts";
import { useQueryKeys } from "../../lib/query-keys.ts";
import { useSession } from "../../stores/session.ts";
import { ImagePicker } from "../ImagePicker.tsx";
import { Sheet } from "../Sheet.tsx";
import { NewAlbum } from "./NewAlbum.tsx";

const VISIBILITIES = ["public", "unlisted", "private"] as const;

/** The artist's albums with their track ids (to show and change which album a track is on). */
function useMyAlbums(username: string, enabled: boolean) {
  const keys = useQueryKeys();
  return useQuery({
    queryKey: [...keys.albums(), "owner", username],
    enabled,
    queryFn: async () => {
      const page = await unwrap(api.albums.$get({ query: { owner: username, limit: 50 } }));
      return Promise.all(
        page.items.map(async (album) => {
          const full = await unwrap(api.albums[":id"].$get({ param: { id: album.id } }));
          return { id: album.id, title: album.title, trackIds: full.tracks.map((t) => t.id) };
        }),
      );
    },
  });
}

/** Edit a track's details, cover, visibility and album, or delete it. */
export function TrackEditor({ track, open, onClose }: { track: TrackResponse; open: boolean; onClose: () => void }) {
  const t = useT();
  const user = useSession((s) => s.user);
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [cover, setCover] = useState<File | null>(null);
  const [creatingAlbum, setCreatingAlbum] = useState(false);
  const [notice, setNotice] = useState("");
  const albums = useMyAlbums(user?.username ?? "", open && user !== null);
  const currentAlbum = albums.data?.find((album) => album.trackIds.includes(track.id))?.id ?? "";
  const ids = {
    title: useId(),
    artist: useId(),
    genre: useId(),
    description: useId(),
    visibility: useId(),
    album: useId(),
  };
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.all });

  const save = useMutation({
    mutationFn: async (form: FormData) => {
      const text = (name: string) => String(form.get(name) ?? "").trim();
      await unwrap(
        api.tracks[":id"].$patch({
          param: { id: track.id },
          json: {
            title: text("title"),
            artist: text("artist"),
            genre: text("genre"),
            description: text("description"),
            visibility: text("visibility") as (typeof VISIBILITIES)[number],
          },
        }),
      );
      if (cover) {
        const response = await authedFetch(`/api/v1/tracks/${track.id}/cover`, {
          method: "PUT",
          headers: { "content-type": "application/octet-stream" },
          body: cover,
        });
        if (!response.ok) throw new Error(await errorMessage(response));
      }
      const album = text("album");
      if (album !== currentAlbum) await moveToAlbum(album);
    },
    onSuccess: () => {
      setError(null);
      onClose();
    },
    onError: (failure) => setError(failure.message),
    onSettled: refresh,
  });

  async function moveToAlbum(albumId: string) {
    const list = albums.data ?? [];
    const from = list.find((album) => album.id === currentAlbum);
    if (from) {
      const trackIds = from.trackIds.filter((id) => id !== track.id);
      await unwrap(api.albums[":id"].tracks.$put({ param: { id: from.id }, json: { trackIds } }));
    }
    const to = list.find((album) => album.id === albumId);
    if (to) {
      const trackIds = [...to.trackIds, track.id];
      await unwrap(api.albums[":id"].tracks.$put({ param: { id: to.id }, json: { trackIds } }));
    }
  }

  const remove = useMutation({
    mutationFn: () => unwrap(api.tracks[":id"].$delete({ param: { id: track.id } })),
    onSuccess: onClose,
    onError: (failure) => setError(failure.message),
    onSettled: refresh,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(new FormData(event.currentTarget));
  };

  return (
    <Sheet open={open} onClose={onClose} title={t("artist.editTitle", { title: track.title })}>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <ImagePicker label={t("artist.cover")} currentSrc={track.coverUrl} name={track.title} onChange={setCover} />
        <label htmlFor={ids.title} className="flex flex-col gap-1">
          {t("artist.fieldTitle")}
          <input id={ids.title} name="title" defaultValue={track.title} required maxLength={200} className="input" />
        </label>
        <label htmlFor={ids.artist} className="flex flex-col gap-1">
          {t("artist.fieldArtist")}
          <input id={ids.artist} name="artist" defaultValue={track.artist} required maxLength={200} className="input" />
        </label>
        <label htmlFor={ids.genre} className="flex flex-col gap-1">
          {t("artist.fieldGenre")}
          <input id={ids.genre} name="genre" defaultValue={track.genre} maxLength={60} className="input" />
        </label>
        <label htmlFor={ids.description} className="flex flex-col gap-1">
          {t("artist.fieldDescription")}
          <textarea
            id={ids.description}
            name="description"
            defaultValue={track.description}
            maxLength={5000}
            rows={3}
            className="input"
          />
        </label>
        <label htmlFor={ids.visibility} className="flex flex-col gap-1">
          {t("artist.fieldVisibility")}
          <select id={ids.visibility} name="visibility" defaultValue={track.visibility} className="input">
            {VISIBILITIES.map((v) => (
              <option key={v} value={v}>
                {t(`artist.visibility.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="flex flex-wrap items-end gap-2">
          <label htmlFor={ids.album} className="flex min-w-0 flex-1 flex-col gap-1">
            {t("artist.fieldAlbum")}
            <select
              id={ids.album}
              name="album"
              key={currentAlbum}
              defaultValue={currentAlbum}
              disabled={albums.isPending}
              className="input"
            >
              <option value="">{t("artist.noAlbum")}</option>
              {albums.data?.map((album) => (
                <option key={album.id} value={album.id}>
                  {album.title}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn"
            aria-expanded={creatingAlbum}
            onClick={() => setCreatingAlbum((open) => !open)}
          >
            {t("artist.newAlbum")}
          </button>
        </div>
        {creatingAlbum && (
          <NewAlbum
            trackId={track.id}
            onCreated={async () => {
              setCreatingAlbum(false);
              setNotice(t("artist.albumCreated"));
              await refresh();
            }}
          />
        )}
        <p role="status" className="text-sm text-muted">
          {notice}
        </p>
        {error && (
          <p role="alert" className="text-danger">
            {error}
          </p>
        )}
        <div className="flex flex-wrap justify-between gap-2">
          <button
            type="button"
            className="btn text-danger"
            disabled={remove.isPending}
            onClick={() => window.confirm(t("artist.confirmDelete", { title: track.title })) && remove.mutate()}
          >
            {t("artist.delete")}
          </button>
          <button type="submit" className="btn-primary" disabled={save.isPending}>
            {save.isPending ? t("auth.wait") : t("playlist.save")}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
