import { type PointerEvent as ReactPointerEvent, useRef, useState } from "react";

/**
 * Where a row dragged from `from` lands when the pointer is at `y`: its index once moved (remove
 * then insert, as `onMove(from, to)` does), from the vertical middles of the rows measured when
 * the drag began.
 */
export function dropIndex(middles: number[], from: number, y: number): number {
  let to = 0;
  for (let i = 0; i < middles.length; i++) if (i !== from && (middles[i] as number) < y) to++;
  return to;
}

/** Pixels the pointer must travel before a press on the handle becomes a drag. */
const DRAG_THRESHOLD = 4;
/** Within this many pixels of the viewport's top or bottom, a drag scrolls the page. */
const EDGE = 48;

/** The drag in progress: the row it started from, where it would land, how far it moved, its height. */
export type PointerDrag = { from: number; to: number; offsetY: number; height: number };

/** How far row `index` steps aside (up or down by the dragged row's height) to open the gap where it lands. */
export function shiftOf(drag: PointerDrag, index: number): number {
  if (drag.from < drag.to && index > drag.from && index <= drag.to) return -drag.height;
  if (drag.to < drag.from && index >= drag.to && index < drag.from) return drag.height;
  return 0;
}

/** The box that scrolls the list: its nearest scrolling ancestor (a sheet), or the page. */
function scrollerOf(element: HTMLElement | null): { top: () => number; by: (dy: number) => void } {
  for (let node = element?.parentElement; node; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if ((overflowY === "auto" || overflowY === "scroll") && node.scrollHeight > node.clientHeight) {
      const box = node;
      return { top: () => box.scrollTop, by: (dy) => box.scrollBy(0, dy) };
    }
  }
  return { top: () => window.scrollY, by: (dy) => window.scrollBy(0, dy) };
}

/**
 * Drag to reorder with pointer events, so mouse, pen and touch work alike (HTML drag and drop
 * does not fire on touch screens). The handle needs `touch-action: none`, or a touch scrolls the
 * page instead. Returns the drag in progress and the handle's pointer handlers for row `index`.
 */
export function usePointerReorder(list: () => HTMLElement | null, onDrop: (from: number, to: number) => void) {
  const [drag, setDrag] = useState<PointerDrag | null>(null);
  const started = useRef<{
    from: number;
    startY: number;
    scroller: ReturnType<typeof scrollerOf>;
    middles: number[];
    height: number;
    moved: boolean;
  } | null>(null);

  // Positions are taken in the scroller's content, so they hold while it scrolls during a drag.
  const pointY = (event: ReactPointerEvent) => event.clientY + (started.current?.scroller.top() ?? 0);

  const handlers = (index: number) => ({
    onPointerDown: (event: ReactPointerEvent<HTMLElement>) => {
      if (event.button !== 0) return;
      const element = list();
      const scroller = scrollerOf(element);
      const rows = [...(element?.children ?? [])] as HTMLElement[];
      const boxes = rows.map((row) => row.getBoundingClientRect());
      const middles = boxes.map((box) => box.top + scroller.top() + box.height / 2);
      event.currentTarget.setPointerCapture(event.pointerId);
      started.current = {
        from: index,
        startY: event.clientY + scroller.top(),
        scroller,
        middles,
        height: boxes[index]?.height ?? 0,
        moved: false,
      };
    },
    onPointerMove: (event: ReactPointerEvent<HTMLElement>) => {
      const state = started.current;
      if (!state) return;
      const y = pointY(event);
      if (!state.moved && Math.abs(y - state.startY) < DRAG_THRESHOLD) return;
      state.moved = true;
      event.preventDefault();
      if (event.clientY < EDGE) state.scroller.by(-8);
      else if (event.clientY > window.innerHeight - EDGE) state.scroller.by(8);
      const to = dropIndex(state.middles, state.from, y);
      setDrag({ from: state.from, to, offsetY: y - state.startY, height: state.height });
    },
    onPointerUp: (event: ReactPointerEvent<HTMLElement>) => {
      const state = started.current;
      const y = pointY(event);
      started.current = null;
      setDrag(null);
      if (!state?.moved) return;
      const to = dropIndex(state.middles, state.from, y);
      if (to !== state.from) onDrop(state.from, to);
    },
    onPointerCancel: () => {
      started.current = null;
      setDrag(null);
    },
  });

  return { drag, handlers };
}
