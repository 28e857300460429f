import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import { api } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { type UploadProgress, uploadFile } from "../lib/upload.ts";
import { useUserEvents } from "../lib/useUserEvents.ts";
import { useSession } from "../stores/session.ts";

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; progress: UploadProgress }
  | { kind: "processing"; trackId: string }
  | { kind: "error"; message: string };

export function UploadPage() {
  const user = useSession((s) => s.user);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const abort = useRef<AbortController | null>(null);
  const ids = { file: useId(), title: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setPhase({ kind: "error", message: "Choose an audio file to upload." });
      return;
    }
    abort.current = new AbortController();
    setPhase({ kind: "uploading", progress: { sentBytes: 0, totalBytes: file.size, part: 1, partCount: 1 } });
    try {
      const trackId = await uploadFile(file, {
        title: String(form.get("title") ?? "").trim() || undefined,
        signal: abort.current.signal,
        onProgress: (progress) => setPhase({ kind: "uploading", progress }),
      });
      setPhase({ kind: "processing", trackId });
    } catch (error) {
      const message =
        (error as Error).name === "AbortError"
          ? "Upload paused. Choose the same file again to resume where it stopped."
          : (error as Error).message;
      setPhase({ kind: "error", message });
    }
  }

  if (!user) {
    return (
      <p className="py-10">
        <Link href="/login">Sign in</Link> to upload tracks.
      </p>
    );
  }

  return (
    <section aria-labelledby="upload-title" className="mx-auto max-w-lg py-8">
      <h1 id="upload-title" className="mb-6 text-2xl font-bold">
        Upload a track
      </h1>
      <form onSubmit={submit} className="flex flex-col gap-4">
        <label htmlFor={ids.file} className="flex flex-col gap-1">
          Audio file (MP3, FLAC, WAV, AAC/M4A, Ogg, AIFF; up to 500 MB)
          <input id={ids.file} name="file" type="file" accept="audio/*,.flac,.aiff,.aif" required className="input" />
        </label>
        <label htmlFor={ids.title} className="flex flex-col gap-1">
          Title (optional: taken from the file's tags otherwise)
          <input id={ids.title} name="title" maxLength={200} className="input" />
        </label>
        <div className="flex gap-3">
          <button type="submit" className="btn-primary" disabled={phase.kind === "uploading"}>
            Upload
          </button>
          {phase.kind === "uploading" && (
            <button type="button" className="btn" onClick={() => abort.current?.abort()}>
              Pause
            </button>
          )}
        </div>
      </form>
      <UploadStatus phase={phase} />
    </section>
  );
}

function UploadStatus({ phase }: { phase: Phase }) {
  if (phase.kind === "idle") return null;
  if (phase.kind === "error") {
    return (
      <p role="alert" className="mt-6 text-red-400">
        {phase.message}
      </p>
    );
  }
  if (phase.kind === "uploading") {
    const { sentBytes, totalBytes, part, partCount } = phase.progress;
    const percent = Math.floor((sentBytes / Math.max(1, totalBytes)) * 100);
    return (
      <div className="mt-6">
        <div
          role="progressbar"
          aria-label="Upload progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          className="h-2 w-full overflow-hidden rounded bg-zinc-800"
        >
          <div className="h-full bg-sky-500 transition-all" style={{ width: `${percent}%` }} />
        </div>
        <p className="mt-2 text-sm text-zinc-400" aria-live="polite">
          Uploading… {percent}% (part {part} of {partCount})
        </p>
      </div>
    );
  }
  return <Processing trackId={phase.trackId} />;
}

function Processing({ trackId }: { trackId: string }) {
  const track = useQuery({
    queryKey: ["track", trackId],
    queryFn: async () => (await api.tracks[":id"].$get({ param: { id: trackId } })).json(),
    refetchInterval: (query) => {
      const data = query.state.data as { status?: string } | undefined;
      return data?.status === "ready" || data?.status === "failed" ? false : 5_000;
    },
  });
  useUserEvents((event) => {
    if (event.type === "track.status" && event.trackId === trackId) track.refetch();
  });
  const data = track.data as { status?: string; title?: string; failureReason?: string | null } | undefined;
  const status = data?.status ?? "processing";
  return (
    <div className="mt-6" role="status" aria-live="polite">
      {status === "ready" ? (
        <p>
          Ready: <Link href={`/tracks/${trackId}`}>{data?.title ?? "your track"}</Link>
        </p>
      ) : status === "failed" ? (
        <p className="text-red-400">Processing failed: {data?.failureReason ?? "unknown reason"}</p>
      ) : (
        <p>Upload complete. Processing (renditions, loudness, waveform)…</p>
      )}
    </div>
  );
}
