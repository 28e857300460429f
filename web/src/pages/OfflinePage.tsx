import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "../components/Link.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { formatBytes } from "../lib/format.ts";
import { listSavedOffline, removeFromOffline } from "../lib/offline.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

/** The tracks saved on this device for offline listening, each with a Remove button. */
export function OfflinePage() {
  const t = useT();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [announcement, setAnnouncement] = useState("");
  const saved = useQuery({ queryKey: keys.offlineSaved(), queryFn: listSavedOffline, networkMode: "always" });
  const remove = useMutation({
    mutationFn: (track: { trackId: string; name: string }) => removeFromOffline(track.trackId),
    networkMode: "always",
    onSuccess: (_, track) => {
      setAnnouncement(t("offline.removed", { title: track.name }));
      void queryClient.invalidateQueries({ queryKey: keys.offlineSaved() });
    },
  });
  return (
    <section className="flex flex-col gap-4 py-6">
      <PageTitle>{t("offline.title")}</PageTitle>
      <p role="status" className="text-sm text-muted">
        {announcement}
      </p>
      <QueryView query={saved}>
        {(tracks) =>
          tracks.length === 0 ? (
            <p className="text-muted">{t("offline.empty")}</p>
          ) : (
            <>
              <p className="text-sm text-muted">
                {t("offline.total", {
                  count: tracks.length,
                  size: formatBytes(tracks.reduce((sum, track) => sum + track.bytes, 0)),
                })}
              </p>
              <ul aria-label={t("offline.title")} className="flex flex-col divide-y divide-border">
                {tracks.map((track) => {
                  const name = track.title ?? t("offline.untitled");
                  return (
                    <li key={track.trackId} className="flex min-h-12 items-center gap-3 py-2">
                      <span className="flex min-w-0 flex-1 flex-col">
                        <Link href={`/tracks/${track.trackId}`} className="truncate font-semibold">
                          {name}
                        </Link>
                        <span className="truncate text-sm text-muted">
                          {[track.artist, formatBytes(track.bytes)].filter(Boolean).join(" · ")}
                        </span>
                      </span>
                      <button
                        type="button"
                        className="btn shrink-0"
                        aria-label={t("offline.remove", { title: name })}
                        disabled={remove.isPending && remove.variables?.trackId === track.trackId}
                        onClick={() => remove.mutate({ trackId: track.trackId, name })}
                      >
                        {t("offline.removeShort")}
                      </button>
                    </li>
                  );
                })}
              </ul>
            </>
          )
        }
      </QueryView>
      {remove.isError && (
        <p role="alert" className="text-danger">
          {t("offline.removeFailed")}
        </p>
      )}
    </section>
  );
}
