import { useT } from "../../i18n/i18n.ts";
import { usePlayer } from "../../stores/player.ts";
import { Artwork } from "../Artwork.tsx";
import { ReorderableList } from "../ReorderableList.tsx";

/** Up next: drag a row to reorder (or use its up/down buttons), remove one, or clear them all. */
export function QueuePanel() {
  const t = useT();
  const queue = usePlayer((s) => s.queue);
  const { moveInQueue, removeFromQueue, clearQueue } = usePlayer.getState();

  return (
    <section aria-labelledby="queue-title" className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h2 id="queue-title" className="text-lg font-semibold">
          {t("queue.title")}{" "}
          <span className="text-sm font-normal text-muted">{t("queue.count", { count: queue.length })}</span>
        </h2>
        {queue.length > 0 && (
          <button type="button" className="btn" onClick={clearQueue}>
            {t("queue.clear")}
          </button>
        )}
      </div>
      {queue.length === 0 ? (
        <p className="text-muted">{t("queue.empty")}</p>
      ) : (
        <ReorderableList
          testId="queue"
          items={queue}
          // A track can be queued twice; the position tells the entries apart.
          keyOf={(track, index) => `${track.id}:${index}`}
          titleOf={(track) => track.title}
          onMove={moveInQueue}
          onRemove={removeFromQueue}
          removeLabel={(title) => t("queue.remove", { title })}
          render={(track) => (
            <>
              <Artwork src={track.coverUrl} name={track.title} className="size-10 text-sm" />
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">{track.title}</p>
                <p className="truncate text-sm text-muted">{track.artist}</p>
              </div>
            </>
          )}
        />
      )}
    </section>
  );
}
