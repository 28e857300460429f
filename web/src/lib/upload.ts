import { authedFetch, errorMessage } from "../api.ts";
import { NetworkFailure, putWithProgress } from "./put-with-progress.ts";

export type UploadProgress = { sentBytes: number; totalBytes: number; part: number; partCount: number };
export type UploadOptions = {
  title?: string;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
};

type CreatedUpload = { uploadId: string; trackId: string; partSize: number };
type UploadState = { status: string; partSize: number; parts: { part: number; size: number }[] };

const PART_ATTEMPTS = 4;
const resumeKey = (file: File) => `veza:upload:${file.name}:${file.size}:${file.lastModified}`;

export class UploadError extends Error {}

async function jsonOrThrow<T>(response: Response): Promise<T> {
  if (!response.ok) throw new UploadError(await errorMessage(response));
  return (await response.json()) as T;
}

/**
 * Uploads a file in parts; a failed part is retried alone, and an upload interrupted by a
 * closed tab or a lost connection resumes from the parts the server already has.
 * Resolves with the track id once the upload is complete and processing has started.
 */
export async function uploadFile(file: File, options: UploadOptions = {}): Promise<string> {
  let created: CreatedUpload | undefined;
  let done = new Map<number, number>();
  const saved = localStorage.getItem(resumeKey(file));
  if (saved) {
    const previous = JSON.parse(saved) as CreatedUpload;
    const response = await authedFetch(`/api/v1/uploads/${previous.uploadId}`);
    if (response.ok) {
      const state = (await response.json()) as UploadState;
      if (state.status === "uploading") {
        created = previous;
        done = new Map(state.parts.map((p) => [p.part, p.size]));
      }
    }
  }
  if (!created) {
    created = await jsonOrThrow<CreatedUpload>(
      await authedFetch("/api/v1/uploads", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ filename: file.name, size: file.size, contentType: file.type, title: options.title }),
      }),
    );
    localStorage.setItem(resumeKey(file), JSON.stringify(created));
  }

  const { uploadId, partSize } = created;
  const partCount = Math.max(1, Math.ceil(file.size / partSize));
  let confirmed = [...done.values()].reduce((a, b) => a + b, 0);
  const report = (inFlight: number, part: number) =>
    options.onProgress?.({ sentBytes: confirmed + inFlight, totalBytes: file.size, part, partCount });
  report(0, 1);

  for (let part = 1; part <= partCount; part++) {
    if (done.has(part)) continue;
    const blob = file.slice((part - 1) * partSize, part * partSize);
    for (let attempt = 1; ; attempt++) {
      options.signal?.throwIfAborted();
      try {
        const response = await putWithProgress(
          `/api/v1/uploads/${uploadId}/parts/${part}`,
          blob,
          (s) => report(s, part),
          options.signal,
        );
        if (response.status >= 400 && response.status < 500) throw new UploadError(await errorMessage(response));
        if (!response.ok) throw new Error(`part ${part}: ${response.status}`);
        break;
      } catch (error) {
        const final = error instanceof UploadError || error instanceof NetworkFailure;
        if (final || (error as Error).name === "AbortError" || attempt >= PART_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
    }
    confirmed += blob.size;
    report(0, part);
  }

  await jsonOrThrow(await authedFetch(`/api/v1/uploads/${uploadId}/complete`, { method: "POST" }));
  localStorage.removeItem(resumeKey(file));
  return created.trackId;
}
