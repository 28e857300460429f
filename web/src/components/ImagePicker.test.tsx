import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ImagePicker } from "./ImagePicker.tsx";

afterEach(cleanup);

const choose = (input: HTMLElement, file: File) => fireEvent.change(input, { target: { files: [file] } });

describe("ImagePicker", () => {
  it("previews a usable image and hands it over", () => {
    const onChange = vi.fn();
    render(<ImagePicker label="Choose a photo" currentSrc={null} name="Ada Lovelace" round onChange={onChange} />);
    expect(screen.getByText("AL")).toBeTruthy();
    const file = new File([new Uint8Array(1000)], "me.png", { type: "image/png" });
    choose(screen.getByLabelText("Choose a photo"), file);
    expect(onChange).toHaveBeenLastCalledWith(file);
    const preview = screen.getByRole("img", { name: "Preview of the chosen image" }) as HTMLImageElement;
    expect(preview.src).toMatch(/^blob:/);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says why a file of the wrong type or size cannot be used, and hands over nothing", () => {
    const onChange = vi.fn();
    render(<ImagePicker label="Cover" currentSrc="/old.jpg" name="Song" onChange={onChange} />);
    const input = screen.getByLabelText("Cover");
    choose(input, new File(["GIF89a"], "anim.gif", { type: "image/gif" }));
    expect(screen.getByRole("alert").textContent).toBe("anim.gif is not a JPEG, PNG or WebP image.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(onChange).toHaveBeenLastCalledWith(null);
    choose(input, new File([new Uint8Array(6 * 1024 * 1024)], "huge.jpg", { type: "image/jpeg" }));
    expect(screen.getByRole("alert").textContent).toBe("This image is 6.3 MB; the limit is 5.2 MB.");
    expect(onChange).toHaveBeenLastCalledWith(null);
    // The current image stays shown.
    expect((document.querySelector("img") as HTMLImageElement).getAttribute("src")).toBe("/old.jpg");
  });
});
