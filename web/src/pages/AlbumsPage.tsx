import { AlbumGrid } from "../components/AlbumGrid.tsx";
import { useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

/** Everyone's albums as a grid of covers, newest first, paged. */
export function AlbumsPage() {
  const t = useT();
  return (
    <section className="flex flex-col gap-4 py-6">
      <PageTitle>{t("albums.title")}</PageTitle>
      <AlbumGrid label={t("albums.title")} empty={t("albums.empty")} />
    </section>
  );
}
