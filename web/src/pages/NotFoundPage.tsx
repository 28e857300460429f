import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";

export function NotFoundPage() {
  const t = useT();
  return (
    <section className="flex flex-col gap-3 py-10">
      <PageTitle>{t("app.notFound")}</PageTitle>
      <p>{t("app.notFoundBody")}</p>
      <p className="flex gap-3">
        <Link href="/">{t("nav.home")}</Link>
        <Link href="/search">{t("nav.search")}</Link>
      </p>
    </section>
  );
}
