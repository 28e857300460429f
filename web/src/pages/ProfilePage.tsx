import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api.ts";
import { DmButton } from "../chat/DmButton.tsx";
import { UserStatusLine } from "../chat/status.tsx";
import { AlbumGrid } from "../components/AlbumGrid.tsx";
import { Artwork } from "../components/Artwork.tsx";
import { PagedTracks } from "../components/PagedTracks.tsx";
import { QueryView } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

export function ProfilePage({ username }: { username: string }) {
  const t = useT();
  const me = useSession((s) => s.user);
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const profile = useQuery({
    queryKey: keys.profile(username),
    queryFn: () => unwrap(api.users[":username"].$get({ param: { username } })),
  });
  const follow = useMutation({
    mutationFn: async (following: boolean) => {
      const route = api.users[":username"].follow;
      await unwrap(following ? route.$delete({ param: { username } }) : route.$post({ param: { username } }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.profile(username) }),
  });

  return (
    <QueryView query={profile}>
      {(data) => (
        <div className="flex flex-col gap-6 py-6">
          <header className="flex items-center gap-4">
            <Artwork src={data.avatarUrl} name={data.displayName} className="size-20 text-2xl sm:size-28" round />
            <div className="flex min-w-0 flex-col gap-1">
              <PageTitle className="truncate text-3xl font-bold">{data.displayName}</PageTitle>
              <p className="text-muted">
                @{data.username} · {t("profile.followers", { count: data.followerCount })} ·{" "}
                {t("profile.following", { count: data.followingCount })} ·{" "}
                {t("profile.tracks", { count: data.trackCount })}
              </p>
              {me && me.username !== data.username && (
                <button
                  type="button"
                  className={data.followedByMe ? "btn self-start" : "btn-primary self-start"}
                  aria-pressed={data.followedByMe === true}
                  onClick={() => follow.mutate(data.followedByMe === true)}
                >
                  {data.followedByMe ? t("profile.followingButton") : t("profile.follow")}
                </button>
              )}
              {me && data.followedByMe && <UserStatusLine username={data.username} />}
              {me && me.username !== data.username && (
                <DmButton username={data.username} displayName={data.displayName} />
              )}
            </div>
          </header>
          {data.bio && <p className="whitespace-pre-line">{data.bio}</p>}
          <AlbumGrid owner={data.username} label={t("albums.title")} heading={t("albums.title")} empty={null} />
          <section aria-labelledby="profile-tracks">
            <h2 id="profile-tracks" className="mb-2 text-lg font-semibold">
              {t("profile.tracksTitle")}
            </h2>
            <PagedTracks
              queryKey={keys.tracksBy(username)}
              label={t("profile.tracksBy", { name: data.displayName })}
              fetchPage={(cursor) => unwrap(api.tracks.$get({ query: { owner: username, cursor, limit: 20 } }))}
            />
          </section>
        </div>
      )}
    </QueryView>
  );
}
