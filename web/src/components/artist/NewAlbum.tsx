import { type KeyboardEvent, useId, useState } from "react";
import { api, errorMessage, unwrap } from "../../api.ts";
import { useT } from "../../i18n/i18n.ts";
import { putWithProgress } from "../../lib/put-with-progress.ts";
import { ImagePicker } from "../ImagePicker.tsx";

/**
 * Creates an album with this track on it (a track is on one album at most: it leaves its previous
 * one), and its cover if one is chosen. Lives inside the track editor's form, so it submits on its
 * own button (and on Enter in its title) rather than the form's.
 */
export function NewAlbum({ trackId, onCreated }: { trackId: string; onCreated: (albumId: string) => void }) {
  const t = useT();
  const titleId = useId();
  const [title, setTitle] = useState("");
  const [cover, setCover] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    if (!title.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const album = await unwrap(api.albums.$post({ json: { title: title.trim(), trackIds: [trackId] } }));
      if (cover) {
        const response = await putWithProgress(`/api/v1/albums/${album.id}/cover`, cover, () => {});
        // The album exists with the track on it; only the cover failed: say so, keep the album.
        if (!response.ok) setError(t("artist.albumCoverFailed", { reason: await errorMessage(response) }));
      }
      onCreated(album.id);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const enterCreates = (event: KeyboardEvent) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    void create();
  };

  return (
    <fieldset className="flex flex-col gap-3 rounded-md border border-line p-3">
      <legend className="px-1 font-semibold">{t("artist.newAlbum")}</legend>
      <label htmlFor={titleId} className="flex flex-col gap-1">
        {t("artist.newAlbumTitle")}
        <input
          id={titleId}
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={enterCreates}
          className="input"
        />
      </label>
      <ImagePicker label={t("artist.newAlbumCover")} currentSrc={null} name={title || "♪"} onChange={setCover} />
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
      <button
        type="button"
        className="btn self-start"
        disabled={!title.trim() || busy}
        aria-busy={busy}
        onClick={() => void create()}
      >
        {busy ? t("auth.wait") : t("artist.createAlbum")}
      </button>
    </fieldset>
  );
}
