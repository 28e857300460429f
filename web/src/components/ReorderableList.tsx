import { type DragEvent, type ReactNode, useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { Icon } from "./Icon.tsx";

/**
 * Rows that can be dragged to a new place, or moved with their up/down buttons (the keyboard and
 * screen-reader way); each move is announced. Used by the queue and by playlists.
 */
export function ReorderableList<T>({
  items,
  keyOf,
  titleOf,
  render,
  onMove,
  onRemove,
  removeLabel,
  testId,
}: {
  items: T[];
  keyOf: (item: T, index: number) => string;
  titleOf: (item: T) => string;
  render: (item: T, index: number) => ReactNode;
  onMove: (from: number, to: number) => void;
  onRemove?: (index: number) => void;
  removeLabel: (title: string) => string;
  testId?: string;
}) {
  const t = useT();
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [status, setStatus] = useState("");

  const move = (from: number, to: number) => {
    const item = items[from];
    if (item === undefined || to < 0 || to >= items.length || from === to) return;
    onMove(from, to);
    setStatus(t("queue.moved", { title: titleOf(item), position: to + 1 }));
  };
  const drop = (event: DragEvent, to: number) => {
    event.preventDefault();
    if (dragged !== null) move(dragged, to);
    setDragged(null);
    setOver(null);
  };

  return (
    <>
      <ol className="flex flex-col" data-testid={testId}>
        {items.map((item, index) => {
          const title = titleOf(item);
          return (
            <li
              key={keyOf(item, index)}
              draggable
              onDragStart={(e) => {
                e.dataTransfer.effectAllowed = "move";
                setDragged(index);
              }}
              onDragOver={(e) => {
                e.preventDefault();
                setOver(index);
              }}
              onDragEnd={() => {
                setDragged(null);
                setOver(null);
              }}
              onDrop={(e) => drop(e, index)}
              className={`flex items-center gap-1 border-b border-line py-1 ${dragged === index ? "opacity-50" : ""} ${over === index && dragged !== index ? "border-t-2 border-t-accent" : ""}`}
            >
              <span className="hidden cursor-grab text-muted sm:inline" aria-hidden="true">
                <Icon name="drag" className="size-5" />
              </span>
              <div className="flex min-w-0 flex-1 items-center gap-2">{render(item, index)}</div>
              <button
                type="button"
                className="icon-button"
                onClick={() => move(index, index - 1)}
                disabled={index === 0}
                aria-label={t("queue.moveUp", { title })}
              >
                <Icon name="arrowUp" className="size-5" />
              </button>
              <button
                type="button"
                className="icon-button"
                onClick={() => move(index, index + 1)}
                disabled={index === items.length - 1}
                aria-label={t("queue.moveDown", { title })}
              >
                <Icon name="arrowDown" className="size-5" />
              </button>
              {onRemove && (
                <button
                  type="button"
                  className="icon-button"
                  onClick={() => onRemove(index)}
                  aria-label={removeLabel(title)}
                >
                  <Icon name="close" className="size-5" />
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <p aria-live="polite" className="sr-only">
        {status}
      </p>
    </>
  );
}
