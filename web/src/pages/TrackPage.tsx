import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, unwrap } from "../api.ts";
import { Artwork } from "../components/Artwork.tsx";
import { Icon } from "../components/Icon.tsx";
import { Link } from "../components/Link.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { TrackLoudness } from "../components/TrackLoudness.tsx";
import { TrackMenu } from "../components/TrackMenu.tsx";
import { type TimedMark, Waveform } from "../components/Waveform.tsx";
import { useT } from "../i18n/i18n.ts";
import { authorName, isDeletedUser } from "../lib/deleted-user.ts";
import { formatDuration } from "../lib/format.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { usePlayer } from "../stores/player.ts";
import { useSession } from "../stores/session.ts";

type Comment = {
  id: string;
  body: string;
  atMs: number | null;
  createdAt: string;
  author: { username: string; displayName: string; avatarUrl: string | null };
};
/** A timed comment shows while playback is within this many ms after its moment. */
const MOMENT_MS = 5000;

export function TrackPage({ id }: { id: string }) {
  const t = useT();
  const user = useSession((s) => s.user);
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const isCurrent = usePlayer((s) => s.current?.id === id);
  const playing = usePlayer((s) => s.current?.id === id && s.playing);
  const positionMs = usePlayer((s) => (s.current?.id === id ? s.position * 1000 : 0));
  const track = useQuery({
    queryKey: keys.track(id),
    queryFn: () => unwrap(api.tracks[":id"].$get({ param: { id } })),
  });
  const comments = useQuery({
    queryKey: keys.comments(id),
    queryFn: () => unwrap(api.tracks[":id"].comments.$get({ param: { id }, query: {} })),
  });
  const like = useMutation({
    mutationFn: async (liked: boolean) => {
      const route = api.tracks[":id"].like;
      await unwrap(liked ? route.$delete({ param: { id } }) : route.$post({ param: { id } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.track(id) }),
  });
  const items = (comments.data?.items ?? []) as Comment[];

  return (
    <QueryView query={track}>
      {(data) => {
        const durationMs = data.durationMs ?? 0;
        const marks: TimedMark[] = items
          .filter((c) => c.atMs !== null)
          .map((c) => ({ id: c.id, atMs: c.atMs as number, label: `${authorName(t, c.author)}: ${c.body}` }));
        const atMoment = isCurrent
          ? items.filter((c) => c.atMs !== null && positionMs >= c.atMs && positionMs - c.atMs < MOMENT_MS)
          : [];
        const playOrToggle = () => (isCurrent ? usePlayer.getState().toggle() : usePlayer.getState().play(data));
        const seek = (ms: number) => {
          if (!isCurrent) usePlayer.getState().play(data);
          usePlayer.getState().seek(ms / 1000);
        };
        return (
          <article className="flex flex-col gap-5 py-6">
            <header className="flex items-center gap-4">
              <Artwork src={data.coverUrl} name={data.title} className="size-24 text-3xl sm:size-36" />
              <div className="flex min-w-0 flex-col gap-1">
                <PageTitle className="text-2xl font-bold sm:text-3xl">{data.title}</PageTitle>
                <p className="text-muted">
                  <Link href={`/u/${data.owner.username}`}>{data.artist}</Link> · {formatDuration(data.durationMs)}
                  {data.genre && ` · ${data.genre}`}
                </p>
              </div>
            </header>
            <div className="flex flex-wrap items-center gap-3">
              <button type="button" className="btn-primary" disabled={data.status !== "ready"} onClick={playOrToggle}>
                {data.status === "ready" ? (
                  <>
                    <Icon name={playing ? "pause" : "play"} />
                    {playing ? t("track.pause") : t("track.play")}
                  </>
                ) : data.status === "failed" ? (
                  t("track.failed")
                ) : (
                  t("track.processing")
                )}
              </button>
              {user && (
                <button
                  type="button"
                  className="btn"
                  aria-pressed={data.likedByMe === true}
                  onClick={() => like.mutate(data.likedByMe === true)}
                >
                  {data.likedByMe ? t("track.liked") : t("track.like")} · {data.likeCount}
                </button>
              )}
              <span className="text-sm text-muted">{t("track.plays", { count: data.playCount })}</span>
              {data.status === "ready" && <TrackMenu track={data} />}
            </div>
            {data.status === "failed" && data.failureReason && (
              <p role="alert" className="text-danger">
                {t("track.failedReason", { reason: data.failureReason })}
              </p>
            )}
            {data.status === "ready" && (
              <Waveform
                trackId={id}
                durationMs={durationMs}
                progress={durationMs > 0 ? positionMs / durationMs : 0}
                onSeek={seek}
                marks={marks}
              />
            )}
            <div aria-live="polite" className="min-h-6">
              {atMoment.map((c) => (
                <p key={c.id} className="text-sm">
                  <span className="font-semibold">{authorName(t, c.author)}</span> {c.body}
                </p>
              ))}
            </div>
            {data.description && <p className="whitespace-pre-line">{data.description}</p>}
            <TrackLoudness loudnessLufs={data.loudnessLufs} gainDb={data.gainDb} />
            <Comments trackId={id} items={items} positionMs={isCurrent ? positionMs : null} />
          </article>
        );
      }}
    </QueryView>
  );
}

function Comments({ trackId, items, positionMs }: { trackId: string; items: Comment[]; positionMs: number | null }) {
  const t = useT();
  const user = useSession((s) => s.user);
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [timed, setTimed] = useState(true);
  const ids = { body: useId(), timed: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get("body") ?? "").trim();
    if (!body) return;
    const atMs = timed && positionMs !== null ? Math.round(positionMs) : undefined;
    try {
      await unwrap(api.tracks[":id"].comments.$post({ param: { id: trackId }, json: { body, atMs } }));
      setError(null);
      form.reset();
      await queryClient.invalidateQueries({ queryKey: keys.comments(trackId) });
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <section aria-labelledby="comments-title" className="flex flex-col gap-3">
      <h2 id="comments-title" className="text-xl font-semibold">
        {t("comments.title")}{" "}
        <span className="text-base font-normal text-muted">{t("comments.count", { count: items.length })}</span>
      </h2>
      {user ? (
        <form onSubmit={submit} className="flex flex-col gap-2">
          <div className="flex gap-2">
            <label htmlFor={ids.body} className="sr-only">
              {t("comments.write")}
            </label>
            <input
              id={ids.body}
              name="body"
              maxLength={2000}
              placeholder={t("comments.write")}
              className="input min-w-0 flex-1"
            />
            <button type="submit" className="btn">
              {t("comments.post")}
            </button>
          </div>
          {positionMs !== null && (
            <label htmlFor={ids.timed} className="flex min-h-11 items-center gap-2 text-sm">
              <input
                id={ids.timed}
                type="checkbox"
                className="size-5 accent-accent"
                checked={timed}
                onChange={(e) => setTimed(e.target.checked)}
              />
              {t("comments.postAt", { time: formatDuration(positionMs) })}
            </label>
          )}
        </form>
      ) : (
        <p>
          <Link href="/login">{t("comments.signIn")}</Link>
        </p>
      )}
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
      <ul className="flex flex-col gap-3">
        {items.map((comment) => (
          <li key={comment.id} className="flex items-start gap-3">
            <Artwork
              src={comment.author.avatarUrl}
              name={authorName(t, comment.author)}
              className="size-9 shrink-0 text-xs"
              round
            />
            <p className="min-w-0 break-words">
              {isDeletedUser(comment.author) ? (
                <span className="font-semibold text-muted">{t("user.deleted")}</span>
              ) : (
                <Link href={`/u/${comment.author.username}`} className="font-semibold">
                  {comment.author.displayName}
                </Link>
              )}{" "}
              {comment.atMs !== null && (
                <span className="text-xs text-muted">{t("comments.at", { time: formatDuration(comment.atMs) })} </span>
              )}
              <span>{comment.body}</span>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
