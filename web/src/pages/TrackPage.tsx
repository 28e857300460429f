import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, errorMessage } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { Waveform } from "../components/Waveform.tsx";
import { formatDuration } from "../lib/format.ts";
import { usePlayer } from "../stores/player.ts";
import { useSession } from "../stores/session.ts";

export function TrackPage({ id }: { id: string }) {
  const user = useSession((s) => s.user);
  const play = usePlayer((s) => s.play);
  const progress = usePlayer((s) => (s.current?.id === id && s.duration > 0 ? s.position / s.duration : 0));
  const queryClient = useQueryClient();
  const track = useQuery({
    queryKey: ["track", id],
    queryFn: async () => {
      const response = await api.tracks[":id"].$get({ param: { id } });
      if (!response.ok) throw new Error(await errorMessage(response));
      return response.json();
    },
  });
  const like = useMutation({
    mutationFn: async (liked: boolean) => {
      const route = api.tracks[":id"].like;
      const response = liked ? await route.$delete({ param: { id } }) : await route.$post({ param: { id } });
      if (!response.ok) throw new Error(await errorMessage(response));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["track", id] }),
  });

  if (track.isPending) return <p className="py-10">Loading…</p>;
  if (track.isError) {
    return (
      <p role="alert" className="py-10">
        {track.error.message}
      </p>
    );
  }
  const data = track.data;
  return (
    <article aria-labelledby="track-title" className="py-8">
      <h1 id="track-title" className="text-3xl font-bold">
        {data.title}
      </h1>
      <p className="text-zinc-400">
        <Link href={`/u/${data.owner.username}`}>{data.artist}</Link> · {formatDuration(data.durationMs)}
        {data.genre && ` · ${data.genre}`}
      </p>
      <div className="my-4 flex gap-3">
        <button type="button" className="btn-primary" disabled={data.status !== "ready"} onClick={() => play(data)}>
          {data.status === "ready" ? "Play" : data.status === "failed" ? "Processing failed" : "Processing…"}
        </button>
        {user && (
          <button
            type="button"
            className="btn"
            aria-pressed={data.likedByMe === true}
            onClick={() => like.mutate(data.likedByMe === true)}
          >
            {data.likedByMe ? "Liked" : "Like"} · {data.likeCount}
          </button>
        )}
        <span className="self-center text-sm text-zinc-400">{data.playCount} plays</span>
      </div>
      {data.status === "ready" && <Waveform trackId={id} progress={progress} />}
      {data.description && <p className="my-4 whitespace-pre-line">{data.description}</p>}
      <Comments trackId={id} />
    </article>
  );
}

function Comments({ trackId }: { trackId: string }) {
  const user = useSession((s) => s.user);
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const comments = useQuery({
    queryKey: ["comments", trackId],
    queryFn: async () => {
      const response = await api.tracks[":id"].comments.$get({ param: { id: trackId }, query: {} });
      return response.ok ? response.json() : { items: [], nextCursor: null };
    },
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get("body") ?? "").trim();
    if (!body) return;
    const response = await api.tracks[":id"].comments.$post({ param: { id: trackId }, json: { body } });
    if (!response.ok) {
      setError(await errorMessage(response));
      return;
    }
    setError(null);
    form.reset();
    await queryClient.invalidateQueries({ queryKey: ["comments", trackId] });
  }

  return (
    <section aria-labelledby="comments-title" className="mt-8">
      <h2 id="comments-title" className="mb-3 text-xl font-semibold">
        Comments
      </h2>
      {user && (
        <form onSubmit={submit} className="mb-4 flex gap-2">
          <label htmlFor={fieldId} className="sr-only">
            Write a comment
          </label>
          <input id={fieldId} name="body" maxLength={2000} placeholder="Write a comment" className="input flex-1" />
          <button type="submit" className="btn">
            Post
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="text-red-400">
          {error}
        </p>
      )}
      <ul className="flex flex-col gap-3">
        {(comments.data?.items ?? []).map((comment: any) => (
          <li key={comment.id}>
            <span className="font-semibold">{comment.author?.displayName ?? comment.author?.username}</span>{" "}
            {comment.atMs !== null && comment.atMs !== undefined && (
              <span className="text-xs text-zinc-400">at {formatDuration(comment.atMs)} </span>
            )}
            <span>{comment.body}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
