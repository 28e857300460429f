import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatMessage } from "../../../workers/api-types.ts";
import { DeleteMessage } from "./DeleteMessage.tsx";
import { room } from "./room-store.ts";

const message: ChatMessage = {
  id: "m1",
  seq: 1,
  updatedSeq: 1,
  clientId: "c1",
  roomId: "r",
  userId: "someone",
  username: "someone",
  displayName: "Someone",
  body: "spam spam",
  createdAt: new Date(0).toISOString(),
};

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("deleting a chat message", () => {
  it("asks a site admin who does not moderate the room for a reason, and sends it", () => {
    const remove = vi.spyOn(room, "remove").mockImplementation(() => {});
    const confirm = vi.fn(() => true);
    window.confirm = confirm;
    render(<DeleteMessage message={message} mine={false} myRole="admin" />);
    fireEvent.click(screen.getByRole("button", { name: "Delete" }));
    expect(confirm).not.toHaveBeenCalled();
    const dialog = screen.getByRole("dialog", { name: "Delete as an admin" });
    const send = screen.getByRole("button", { name: "Delete message" }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    const reason = screen.getByLabelText("Reason");
    expect(dialog.contains(reason)).toBe(true);
    fireEvent.change(reason, { target: { value: "  spam link  " } });
    act(() => {
      fireEvent.click(send);
    });
    expect(remove).toHaveBeenCalledWith("m1", "spam link");
  });

  it("cancelling the reason dialog deletes nothing", () => {
    const remove = vi.spyOn(room, "remove").mockImplementation(() => {});
    render(<DeleteMessage message={message} mine={false} myRole="admin" />);
    fireEvent.click(screen.getByRole("button", { name: "Delete" }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(remove).not.toHaveBeenCalled();
  });

  it("a moderator or the author only confirms, with no reason", () => {
    const remove = vi.spyOn(room, "remove").mockImplementation(() => {});
    window.confirm = vi.fn(() => true);
    render(
      <>
        <DeleteMessage message={message} mine={false} myRole="moderator" />
        <DeleteMessage message={{ ...message, id: "m2" }} mine myRole="admin" />
      </>,
    );
    for (const button of screen.getAllByRole("button", { name: "Delete" })) fireEvent.click(button);
    expect(remove.mock.calls).toEqual([["m1"], ["m2"]]);
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
