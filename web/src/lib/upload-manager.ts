import { create } from "zustand";
import { type UploadOptions, type UploadProgress, uploadFile } from "./upload.ts";

export type UploadItem = {
  key: string;
  name: string;
  size: number;
  state: "queued" | "uploading" | "processing" | "paused" | "failed";
  progress: UploadProgress | null;
  trackId: string | null;
  error: string | null;
};

type Uploader = (file: File, options: UploadOptions) => Promise<string>;

type UploadManager = {
  items: UploadItem[];
  /** Queues files; they go up `concurrency` at a time. */
  add: (files: File[]) => void;
  pause: (key: string) => void;
  /** Starts a paused or failed item again (the upload resumes from the parts already sent). */
  retry: (key: string) => void;
  dismiss: (key: string) => void;
};

/**
 * Uploads several files, each with its own progress and state; a failure or pause of one does
 * not stop the others. `uploader` is injectable for tests.
 */
export function createUploadManager(uploader: Uploader = uploadFile, concurrency = 2) {
  const files = new Map<string, File>();
  const controllers = new Map<string, AbortController>();
  let counter = 0;

  return create<UploadManager>((set, get) => {
    const update = (key: string, patch: Partial<UploadItem>) =>
      set((s) => ({ items: s.items.map((item) => (item.key === key ? { ...item, ...patch } : item)) }));

    const pump = () => {
      const { items } = get();
      let running = items.filter((item) => item.state === "uploading").length;
      for (const item of items) {
        if (running >= concurrency) break;
        if (item.state !== "queued") continue;
        running++;
        void start(item.key);
      }
    };

    const start = async (key: string) => {
      const file = files.get(key);
      if (!file) return;
      const controller = new AbortController();
      controllers.set(key, controller);
      update(key, { state: "uploading", error: null });
      try {
        const trackId = await uploader(file, {
          signal: controller.signal,
          onProgress: (progress) => update(key, { progress }),
        });
        update(key, { state: "processing", trackId });
      } catch (error) {
        const paused = (error as Error).name === "AbortError";
        update(key, { state: paused ? "paused" : "failed", error: paused ? null : (error as Error).message });
      } finally {
        controllers.delete(key);
        pump();
      }
    };

    return {
      items: [],
      add: (added) => {
        const items = added.map((file): UploadItem => {
          const key = `${++counter}:${file.name}`;
          files.set(key, file);
          return { key, name: file.name, size: file.size, state: "queued", progress: null, trackId: null, error: null };
        });
        set((s) => ({ items: [...s.items, ...items] }));
        pump();
      },
      pause: (key) => controllers.get(key)?.abort(),
      retry: (key) => {
        update(key, { state: "queued", error: null });
        pump();
      },
      dismiss: (key) => {
        controllers.get(key)?.abort();
        files.delete(key);
        set((s) => ({ items: s.items.filter((item) => item.key !== key) }));
      },
    };
  });
}

/** The app's upload manager: uploads continue while the artist browses other pages. */
export const useUploads = createUploadManager();
