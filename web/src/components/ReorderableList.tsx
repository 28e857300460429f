import { type ReactNode, useRef, useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { Icon } from "./Icon.tsx";
import { shiftOf, usePointerReorder } from "./pointer-reorder.ts";

/**
 * Rows that can be dragged to a new place by their handle (mouse or touch), or moved with their
 * up/down buttons (the keyboard and screen-reader way); each move is announced. While a row is
 * dragged, the rows it passes step aside to open a gap where it will land, edged by a line. Used
 * by the queue and by playlists.
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
  const [status, setStatus] = useState("");
  const list = useRef<HTMLOListElement>(null);

  const move = (from: number, to: number) => {
    const item = items[from];
    if (item === undefined || to < 0 || to >= items.length || from === to) return;
    onMove(from, to);
    setStatus(t("queue.moved", { title: titleOf(item), position: to + 1 }));
  };
  const { drag, handlers } = usePointerReorder(() => list.current, move);

  /** The drop line goes above the row the dragged one will push down, or below the last it passes. */
  const dropLine = (index: number) => {
    if (!drag || drag.to === drag.from || index !== drag.to) return undefined;
    return drag.to < drag.from ? "before" : "after";
  };

  return (
    <>
      <ol ref={list} className="flex flex-col" data-testid={testId} data-dragging={drag ? "" : undefined}>
        {items.map((item, index) => {
          const title = titleOf(item);
          const dragged = drag?.from === index;
          const line = dropLine(index);
          const offset = drag ? (dragged ? drag.offsetY : shiftOf(drag, index)) : 0;
          return (
            <li
              key={keyOf(item, index)}
              data-drop={line}
              style={offset ? { transform: `translateY(${offset}px)` } : undefined}
              className={`flex items-center gap-1 border-b border-line py-1 ${dragged ? "relative z-10 rounded-md bg-bg shadow-xl ring-2 ring-accent" : drag ? "transition-transform duration-150" : ""} ${line === "before" ? "shadow-[inset_0_4px_0_var(--accent)]" : ""} ${line === "after" ? "shadow-[inset_0_-4px_0_var(--accent)]" : ""}`}
            >
              <span
                className="inline-flex size-11 shrink-0 cursor-grab touch-none items-center justify-center text-muted select-none active:cursor-grabbing"
                aria-hidden="true"
                data-testid="drag-handle"
                {...handlers(index)}
              >
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
