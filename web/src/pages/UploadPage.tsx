import { useQuery } from "@tanstack/react-query";
import { type DragEvent, useId, useState } from "react";
import { api, unwrap } from "../api.ts";
import { AlbumGrid } from "../components/AlbumGrid.tsx";
import { MyTracks } from "../components/artist/MyTracks.tsx";
import { Icon } from "../components/Icon.tsx";
import { Link } from "../components/Link.tsx";
import { StorageMeter } from "../components/StorageMeter.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { type UploadItem, useUploads } from "../lib/upload-manager.ts";
import { useUserEvents } from "../lib/useUserEvents.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

export function UploadPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  const items = useUploads((s) => s.items);
  const add = useUploads((s) => s.add);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();

  if (!user) {
    return (
      <section className="flex flex-col gap-4 py-10">
        <PageTitle>{t("upload.title")}</PageTitle>
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> · {t("upload.signIn")}
        </p>
      </section>
    );
  }

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files].filter((f) => f.size > 0);
    if (files.length > 0) add(files);
  };

  return (
    <section className="mx-auto flex max-w-2xl flex-col gap-6 py-6">
      <PageTitle>{t("upload.title")}</PageTitle>
      <StorageMeter revision={items.map((item) => `${item.key}:${item.state}`).join(",")} />
      <label
        htmlFor={inputId}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        className={`flex cursor-pointer flex-col items-center gap-2 rounded-xl border-2 border-dashed p-8 text-center ${dragging ? "border-accent bg-raised" : "border-line"}`}
      >
        <Icon name="upload" className="size-10 text-muted" />
        <span className="font-semibold">{t("upload.drop")}</span>
        <span className="text-sm text-muted">{t("upload.file")}</span>
        <input
          id={inputId}
          type="file"
          multiple
          accept="audio/*,.flac,.aiff,.aif"
          className="sr-only"
          data-testid="upload-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])].filter((f) => f.size > 0);
            if (files.length > 0) add(files);
            e.target.value = "";
          }}
        />
      </label>
      {items.length > 0 && (
        <ul className="flex flex-col gap-3" aria-label={t("upload.list")}>
          {items.map((item) => (
            <UploadRow key={item.key} item={item} />
          ))}
        </ul>
      )}
      <MyTracks username={user.username} />
      <AlbumGrid
        owner={user.username}
        label={t("albums.yours")}
        heading={t("albums.yours")}
        empty={t("artist.noAlbumsYet")}
      />
    </section>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const t = useT();
  const { pause, retry, dismiss } = useUploads.getState();
  const percent = item.progress
    ? Math.floor((item.progress.sentBytes / Math.max(1, item.progress.totalBytes)) * 100)
    : 0;
  return (
    <li className="flex flex-col gap-2 rounded-lg border border-line p-3" data-testid="upload-row">
      <div className="flex items-center gap-2">
        <span className="min-w-0 flex-1 truncate font-medium">{item.name}</span>
        {item.state === "uploading" && (
          <button type="button" className="btn" onClick={() => pause(item.key)}>
            {t("upload.pause")}
          </button>
        )}
        {(item.state === "paused" || item.state === "failed") && (
          <button type="button" className="btn" onClick={() => retry(item.key)}>
            {t("upload.resume")}
          </button>
        )}
        <button
          type="button"
          className="icon-button"
          onClick={() => dismiss(item.key)}
          aria-label={t("upload.dismiss", { name: item.name })}
        >
          <Icon name="close" className="size-5" />
        </button>
      </div>
      {(item.state === "uploading" || item.state === "queued") && (
        <>
          <div
            role="progressbar"
            aria-label={t("upload.progressOf", { name: item.name })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-full overflow-hidden rounded bg-raised"
          >
            <div
              className="h-full origin-left bg-accent transition-transform"
              style={{ transform: `scaleX(${percent / 100})` }}
            />
          </div>
          <p className="text-sm text-muted">
            {item.state === "queued" ? t("upload.queued") : t("upload.uploading", { percent })}
          </p>
        </>
      )}
      {item.state === "paused" && <p className="text-sm text-muted">{t("upload.paused")}</p>}
      {item.state === "failed" && (
        <p role="alert" className="text-sm text-danger">
          {item.error}
        </p>
      )}
      {item.state === "processing" && item.trackId && <Processing trackId={item.trackId} />}
    </li>
  );
}

function Processing({ trackId }: { trackId: string }) {
  const t = useT();
  const keys = useQueryKeys();
  const track = useQuery({
    queryKey: keys.track(trackId),
    queryFn: () => unwrap(api.tracks[":id"].$get({ param: { id: trackId } })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "ready" || status === "failed" ? false : 5_000;
    },
  });
  useUserEvents((event) => {
    if (event.type === "track.status" && event.trackId === trackId) void track.refetch();
  });
  const status = track.data?.status ?? "processing";
  return (
    <div role="status" aria-live="polite" className="text-sm">
      {status === "ready" ? (
        <p>
          {t("upload.ready")} <Link href={`/tracks/${trackId}`}>{track.data?.title ?? t("upload.yourTrack")}</Link>
        </p>
      ) : status === "failed" ? (
        <p className="text-danger">
          {t("track.failedReason", { reason: track.data?.failureReason ?? t("upload.unknownReason") })}
        </p>
      ) : (
        <p>{t("upload.processing")}</p>
      )}
    </div>
  );
}
