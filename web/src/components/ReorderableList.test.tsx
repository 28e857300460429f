import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { dropIndex } from "./pointer-reorder.ts";
import { ReorderableList } from "./ReorderableList.tsx";

afterEach(cleanup);

describe("dropIndex", () => {
  const middles = [25, 75, 125, 175]; // four rows, 50 px tall
  it("lands a row where the pointer is, counting the rows it passed", () => {
    expect(dropIndex(middles, 0, 30)).toBe(0);
    expect(dropIndex(middles, 0, 80)).toBe(1);
    expect(dropIndex(middles, 0, 500)).toBe(3);
    expect(dropIndex(middles, 3, 0)).toBe(0);
    expect(dropIndex(middles, 3, 100)).toBe(2);
    expect(dropIndex(middles, 1, 74)).toBe(1);
  });
});

const ROW = 50;

function renderList(onMove: (from: number, to: number) => void) {
  render(
    <ReorderableList
      testId="list"
      items={["a", "b", "c", "d"]}
      keyOf={(item) => item}
      titleOf={(item) => item}
      render={(item) => <span>{item}</span>}
      onMove={onMove}
      removeLabel={(title) => `Remove ${title}`}
    />,
  );
  // happy-dom lays nothing out: give each row its place, 50 px apart.
  const rows = [...screen.getByTestId("list").children] as HTMLElement[];
  rows.forEach((row, i) => {
    row.getBoundingClientRect = () => ({ top: i * ROW, height: ROW, bottom: (i + 1) * ROW }) as DOMRect;
  });
  const handles = screen.getAllByTestId("drag-handle");
  for (const handle of handles) handle.setPointerCapture = vi.fn();
  return { rows, handles };
}

describe("ReorderableList", () => {
  it("drags a row by its handle (touch), showing where it will land, and moves it on release", () => {
    const onMove = vi.fn();
    const { handles } = renderList(onMove);
    const handle = handles[0] as HTMLElement;
    const at = (clientY: number) => ({ clientY, pointerId: 1, pointerType: "touch", button: 0 });
    fireEvent.pointerDown(handle, at(25));
    fireEvent.pointerMove(handle, at(140));
    const rows = [...screen.getByTestId("list").children] as HTMLElement[];
    expect(rows[2]?.dataset.drop).toBe("after");
    expect(rows.filter((row) => row.dataset.drop).length).toBe(1);
    expect(rows[0]?.style.transform).toBe("translateY(115px)");
    // The rows it passed step up to open the gap where it lands; the one after stays.
    expect(rows.slice(1).map((row) => row.style.transform)).toEqual(["translateY(-50px)", "translateY(-50px)", ""]);
    act(() => {
      fireEvent.pointerUp(handle, at(140));
    });
    expect(onMove).toHaveBeenCalledWith(0, 2);
    expect(screen.getByText("a moved to position 3")).toBeTruthy();
    expect(rows.some((row) => row.dataset.drop)).toBe(false);
  });

  it("upwards the line goes above the row it lands on; a tap or a cancelled drag moves nothing", () => {
    const onMove = vi.fn();
    const { handles } = renderList(onMove);
    const handle = handles[3] as HTMLElement;
    const at = (clientY: number) => ({ clientY, pointerId: 2, button: 0 });
    fireEvent.pointerDown(handle, at(175));
    fireEvent.pointerMove(handle, at(60));
    expect((screen.getByTestId("list").children[1] as HTMLElement).dataset.drop).toBe("before");
    fireEvent.pointerCancel(handle, at(60));
    fireEvent.pointerDown(handle, at(175));
    fireEvent.pointerUp(handle, at(176));
    expect(onMove).not.toHaveBeenCalled();
  });

  it("keeps the keyboard way: up and down buttons", () => {
    const onMove = vi.fn();
    renderList(onMove);
    fireEvent.click(screen.getByRole("button", { name: "Move b down" }));
    expect(onMove).toHaveBeenCalledWith(1, 2);
  });
});
