import { api, unwrap } from "../api.ts";
import { PagedTracks } from "../components/PagedTracks.tsx";
import { useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { LiveParties } from "../party/LiveParties.tsx";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

const PAGE = 20;

export function HomePage() {
  const t = useT();
  const user = useSession((s) => s.user);
  const keys = useQueryKeys();
  return (
    <div className="flex flex-col gap-8 py-6">
      <PageTitle>{user ? t("home.welcome", { name: user.displayName }) : t("home.signedOutTitle")}</PageTitle>
      {user && <LiveParties />}
      {user && (
        <section aria-labelledby="home-feed">
          <h2 id="home-feed" className="mb-2 text-lg font-semibold">
            {t("home.feed")}
          </h2>
          <PagedTracks
            queryKey={keys.feed()}
            label={t("home.feed")}
            empty={t("home.feedEmpty")}
            fetchPage={(cursor) => unwrap(api.feed.$get({ query: { cursor, limit: PAGE } }))}
          />
        </section>
      )}
      <section aria-labelledby="home-trending">
        <h2 id="home-trending" className="mb-2 text-lg font-semibold">
          {t("home.trending")}
        </h2>
        <PagedTracks
          queryKey={keys.trending()}
          label={t("home.trending")}
          fetchPage={(cursor) => unwrap(api.discover.trending.$get({ query: { cursor, limit: PAGE } }))}
        />
      </section>
      <section aria-labelledby="home-new">
        <h2 id="home-new" className="mb-2 text-lg font-semibold">
          {t("home.new")}
        </h2>
        <PagedTracks
          queryKey={keys.recent()}
          label={t("home.new")}
          fetchPage={(cursor) => unwrap(api.discover.recent.$get({ query: { cursor, limit: PAGE } }))}
        />
      </section>
    </div>
  );
}
