import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../api.ts";
import { TrackList } from "../components/TrackList.tsx";
import { useSession } from "../stores/session.ts";

export function ProfilePage({ username }: { username: string }) {
  const me = useSession((s) => s.user);
  const queryClient = useQueryClient();
  const profile = useQuery({
    queryKey: ["profile", username],
    queryFn: async () => {
      const response = await api.users[":username"].$get({ param: { username } });
      if (!response.ok) throw new Error(await errorMessage(response));
      return response.json();
    },
  });
  const tracks = useQuery({
    queryKey: ["tracks", "owner", username],
    queryFn: async () => (await api.tracks.$get({ query: { owner: username, limit: "50" } })).json(),
  });
  const follow = useMutation({
    mutationFn: async (following: boolean) => {
      const route = api.users[":username"].follow;
      const response = following
        ? await route.$delete({ param: { username } })
        : await route.$post({ param: { username } });
      if (!response.ok) throw new Error(await errorMessage(response));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["profile", username] }),
  });

  if (profile.isPending) return <p className="py-10">Loading…</p>;
  if (profile.isError) {
    return (
      <p role="alert" className="py-10">
        {profile.error.message}
      </p>
    );
  }
  const data = profile.data;
  return (
    <section aria-labelledby="profile-title" className="py-8">
      <h1 id="profile-title" className="text-3xl font-bold">
        {data.displayName}
      </h1>
      <p className="text-zinc-400">
        @{data.username} · {data.followerCount} followers · {data.followingCount} following · {data.trackCount} tracks
      </p>
      {data.bio && <p className="my-3 whitespace-pre-line">{data.bio}</p>}
      {me && me.username !== data.username && (
        <button
          type="button"
          className="btn my-3"
          aria-pressed={data.followedByMe === true}
          onClick={() => follow.mutate(data.followedByMe === true)}
        >
          {data.followedByMe ? "Following" : "Follow"}
        </button>
      )}
      <h2 className="mt-6 mb-2 text-lg font-semibold">Tracks</h2>
      {tracks.data && "items" in tracks.data && (
        <TrackList tracks={tracks.data.items} label={`Tracks by ${data.displayName}`} />
      )}
    </section>
  );
}
