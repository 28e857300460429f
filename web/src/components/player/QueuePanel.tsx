import { type DragEvent, useState } from "react";
import { useT } from "../../i18n/i18n.ts";
import { usePlayer } from "../../stores/player.ts";
import { Artwork } from "../Artwork.tsx";
import { Icon } from "../Icon.tsx";

/** Up next: drag a row to reorder (or use its up/down buttons), remove one, or clear them all. */
export function QueuePanel() {
  const t = useT();
  const queue = usePlayer((s) => s.queue);
  const { moveInQueue, removeFromQueue, clearQueue } = usePlayer.getState();
  const [dragged, setDragged] = useState<number | null>(null);
  const [status, setStatus] = useState("");

  const move = (from: number, to: number) => {
    const track = queue[from];
    if (!track || to < 0 || to >= queue.length) return;
    moveInQueue(from, to);
    setStatus(t("queue.moved", { title: track.title, position: to + 1 }));
  };
  const drop = (event: DragEvent, to: number) => {
    event.preventDefault();
    if (dragged !== null) move(dragged, to);
    setDragged(null);
  };

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
        <ol className="flex flex-col" data-testid="queue">
          {queue.map((track, index) => (
            <li
              // A track can be queued twice; the position tells the entries apart.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={`${track.id}:${index}`}
              draggable
              onDragStart={() => setDragged(index)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => drop(e, index)}
              className={`flex items-center gap-2 rounded-md py-1 ${dragged === index ? "opacity-50" : ""}`}
            >
              <span className="cursor-grab text-muted" aria-hidden="true">
                <Icon name="drag" className="size-5" />
              </span>
              <Artwork src={track.coverUrl} name={track.title} className="size-10 text-sm" />
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium">{track.title}</p>
                <p className="truncate text-sm text-muted">{track.artist}</p>
              </div>
              <button
                type="button"
                className="icon-button"
                onClick={() => move(index, index - 1)}
                disabled={index === 0}
                aria-label={t("queue.moveUp", { title: track.title })}
              >
                <Icon name="arrowUp" className="size-5" />
              </button>
              <button
                type="button"
                className="icon-button"
                onClick={() => move(index, index + 1)}
                disabled={index === queue.length - 1}
                aria-label={t("queue.moveDown", { title: track.title })}
              >
                <Icon name="arrowDown" className="size-5" />
              </button>
              <button
                type="button"
                className="icon-button"
                onClick={() => removeFromQueue(index)}
                aria-label={t("queue.remove", { title: track.title })}
              >
                <Icon name="close" className="size-5" />
              </button>
            </li>
          ))}
        </ol>
      )}
      <p aria-live="polite" className="sr-only">
        {status}
      </p>
    </section>
  );
}
