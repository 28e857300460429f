import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, unwrap } from "../api.ts";
import { Link } from "../components/Link.tsx";
import { ErrorView, Loading, QueryView } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { formatBytes } from "../lib/format.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

const STATUSES = ["uploading", "processing", "ready", "failed"] as const;

/** The operators' page: counts, transcode failures with a retry, and account search (admins only). */
export function AdminPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  if (user?.role !== "admin") {
    return (
      <section className="py-6">
        <PageTitle>{t("admin.title")}</PageTitle>
        <p role="alert">{t("admin.adminsOnly")}</p>
      </section>
    );
  }
  return (
    <section className="flex flex-col gap-8 py-6">
      <PageTitle>{t("admin.title")}</PageTitle>
      <Overview />
      <Failures />
      <Accounts />
    </section>
  );
}

function Overview() {
  const t = useT();
  const keys = useQueryKeys();
  const overview = useQuery({
    queryKey: keys.adminOverview(),
    queryFn: () => unwrap(api.admin.overview.$get()),
  });
  return (
    <section aria-labelledby="admin-overview" className="flex flex-col gap-3">
      <h2 id="admin-overview" className="text-lg font-bold">
        {t("admin.overview")}
      </h2>
      <QueryView query={overview}>
        {(data) => (
          <dl className="grid gap-4 sm:grid-cols-2">
            <div>
              <dt className="font-semibold">{t("admin.accounts")}</dt>
              <dd>{t("admin.accountsLine", data.users)}</dd>
            </div>
            <div>
              <dt className="font-semibold">{t("admin.tracks")}</dt>
              <dd>
                <ul>
                  {STATUSES.map((status) => (
                    <li key={status}>
                      {t(`admin.status.${status}`)}: {data.tracks[status]}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            <div>
              <dt className="font-semibold">{t("admin.storage")}</dt>
              <dd>
                {t("admin.storageLine", {
                  total: formatBytes(data.storage.totalBytes),
                  originals: formatBytes(data.storage.originalBytes),
                  renditions: formatBytes(data.storage.renditionBytes),
                })}
              </dd>
            </div>
            <div>
              <dt className="font-semibold">{t("admin.rooms")}</dt>
              <dd>{t("admin.roomsLine", { active: data.rooms.activeLastHour, total: data.rooms.total })}</dd>
            </div>
            <div>
              <dt className="font-semibold">{t("admin.parties")}</dt>
              <dd>
                {data.parties.length === 0 ? (
                  t("admin.noParties")
                ) : (
                  <ul>
                    {data.parties.map((p) => (
                      <li key={p.roomId}>
                        <Link href={`/chat/${p.roomId}`}>{p.room}</Link>{" "}
                        {t("admin.partyLine", {
                          host: p.host?.username ?? "—",
                          count: p.listeners,
                          started: new Date(p.startedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }),
                        })}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
            <div>
              <dt className="font-semibold">{t("admin.deadLetters")}</dt>
              <dd>
                {data.deadLetters.length === 0 ? (
                  t("admin.noDeadLetters")
                ) : (
                  <ul>
                    {data.deadLetters.map((dl) => (
                      <li key={dl.queue}>{t("admin.deadLetterLine", { queue: dl.queue, count: dl.count })}</li>
                    ))}
                  </ul>
                )}
              </dd>
            </div>
          </dl>
        )}
      </QueryView>
    </section>
  );
}

function Failures() {
  const t = useT();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [announcement, setAnnouncement] = useState("");
  const failed = useQuery({
    queryKey: keys.adminTracks("failed"),
    queryFn: () => unwrap(api.admin.tracks.$get({ query: { status: "failed", limit: "50" } })),
  });
  const retry = useMutation({
    mutationFn: (track: { id: string; title: string }) =>
      unwrap(api.admin.tracks[":id"].retry.$post({ param: { id: track.id } })),
    onSuccess: (_answer, track) => {
      setAnnouncement(t("admin.retried", { title: track.title }));
      void queryClient.invalidateQueries({ queryKey: keys.adminTracks("failed") });
      void queryClient.invalidateQueries({ queryKey: keys.adminOverview() });
    },
  });
  return (
    <section aria-labelledby="admin-failures" className="flex flex-col gap-3">
      <h2 id="admin-failures" className="text-lg font-bold">
        {t("admin.failures")}
      </h2>
      <p role="status" className="text-muted">
        {announcement}
      </p>
      {retry.isError && <ErrorView error={retry.error} />}
      <QueryView query={failed}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("admin.noFailures")}</p>
          ) : (
            <ul className="flex flex-col gap-3">
              {page.items.map((track) => {
                const busy = retry.isPending && retry.variables?.id === track.id;
                return (
                  <li key={track.id} className="flex flex-wrap items-center gap-3 border-b border-line pb-3">
                    <div className="min-w-0 flex-1">
                      <Link href={`/tracks/${track.id}`} className="font-semibold">
                        {track.title}
                      </Link>{" "}
                      <span className="text-muted">{t("admin.by", { username: track.owner.username })}</span>
                      <p className="text-sm text-danger">{track.failureReason}</p>
                    </div>
                    <button
                      type="button"
                      className="btn"
                      aria-label={t("admin.retryLabel", { title: track.title })}
                      aria-busy={busy}
                      disabled={retry.isPending}
                      onClick={() => retry.mutate({ id: track.id, title: track.title })}
                    >
                      {busy ? t("app.loading") : t("admin.retry")}
                    </button>
                  </li>
                );
              })}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}

function Accounts() {
  const t = useT();
  const keys = useQueryKeys();
  const ids = { search: useId(), hint: useId() };
  const [q, setQ] = useState("");
  const users = useInfiniteQuery({
    queryKey: keys.adminUsers(q),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.admin.users.$get({ query: { ...(q ? { q } : {}), limit: "20", cursor: pageParam } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="admin-accounts" className="flex flex-col gap-3">
      <h2 id="admin-accounts" className="text-lg font-bold">
        {t("admin.accounts")}
      </h2>
      <label htmlFor={ids.search} className="flex max-w-md flex-col gap-1">
        {t("admin.search")}
        <input
          id={ids.search}
          type="search"
          className="input"
          aria-describedby={ids.hint}
          value={q}
          onChange={(e) => setQ(e.target.value.trim())}
        />
        <span id={ids.hint} className="text-sm text-muted">
          {t("admin.searchHint")}
        </span>
      </label>
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorView error={users.error} retry={() => void users.refetch()} />
      ) : items.length === 0 ? (
        <p>{t("admin.noUsers")}</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {items.map((account) => (
            <li key={account.id} className="flex flex-wrap gap-x-3">
              <Link href={`/u/${account.username}`} className="font-semibold">
                {account.username}
              </Link>
              <span className="text-muted">{account.email}</span>
              <span>{t(`admin.role.${account.role}`)}</span>
              {account.status === "disabled" && <span className="text-danger">{t("admin.disabled")}</span>}
            </li>
          ))}
        </ul>
      )}
      {users.hasNextPage && (
        <button
          type="button"
          className="btn self-start"
          aria-busy={users.isFetchingNextPage}
          disabled={users.isFetchingNextPage}
          onClick={() => void users.fetchNextPage()}
        >
          {users.isFetchingNextPage ? t("app.loading") : t("admin.more")}
        </button>
      )}
    </section>
  );
}
