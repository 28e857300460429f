import { describe, expect, it } from "vitest";
import type { UploadOptions } from "./upload.ts";
import { createUploadManager } from "./upload-manager.ts";

type Call = { file: File; options: UploadOptions; resolve: (id: string) => void; reject: (e: Error) => void };

/** An uploader the test drives by hand: each call waits until the test settles it. */
function manualUploader() {
  const calls: Call[] = [];
  const uploader = (file: File, options: UploadOptions) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ file, options, resolve, reject });
      options.signal?.addEventListener("abort", () => reject(new DOMException("paused", "AbortError")));
    });
  return { calls, uploader };
}

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: "audio/mpeg" });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe("upload manager", () => {
  it("uploads several files, two at a time, each with its own progress and result", async () => {
    const { calls, uploader } = manualUploader();
    const uploads = createUploadManager(uploader, 2);
    uploads.getState().add([file("a.mp3"), file("b.mp3"), file("c.mp3")]);
    expect(uploads.getState().items.map((i) => i.state)).toEqual(["uploading", "uploading", "queued"]);
    expect(calls.map((c) => c.file.name)).toEqual(["a.mp3", "b.mp3"]);

    calls[1]?.options.onProgress?.({ sentBytes: 5, totalBytes: 10, part: 1, partCount: 1 });
    expect(uploads.getState().items[1]?.progress?.sentBytes).toBe(5);
    expect(uploads.getState().items[0]?.progress).toBeNull();

    calls[0]?.resolve("track-a");
    await flush();
    expect(uploads.getState().items[0]).toMatchObject({ state: "processing", trackId: "track-a" });
    expect(calls.map((c) => c.file.name)).toEqual(["a.mp3", "b.mp3", "c.mp3"]);
  });

  it("a failure or a pause of one file leaves the others going, and it can be resumed", async () => {
    const { calls, uploader } = manualUploader();
    const uploads = createUploadManager(uploader, 2);
    uploads.getState().add([file("bad.txt"), file("ok.mp3")]);
    calls[0]?.reject(new Error("This file is not audio."));
    await flush();
    const [bad, ok] = uploads.getState().items;
    expect(bad).toMatchObject({ state: "failed", error: "This file is not audio." });
    expect(ok?.state).toBe("uploading");

    uploads.getState().pause(ok?.key as string);
    await flush();
    expect(uploads.getState().items[1]).toMatchObject({ state: "paused", error: null });
    uploads.getState().retry(ok?.key as string);
    expect(uploads.getState().items[1]?.state).toBe("uploading");
    expect(calls.length).toBe(3);
    calls[2]?.resolve("track-ok");
    await flush();
    expect(uploads.getState().items[1]).toMatchObject({ state: "processing", trackId: "track-ok" });

    uploads.getState().dismiss(bad?.key as string);
    expect(uploads.getState().items.map((i) => i.name)).toEqual(["ok.mp3"]);
  });
});
