import type { ReactNode } from "react";
import { Link } from "../components/Link.tsx";
import { Loading } from "../components/QueryView.tsx";
import { useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

/** An account settings page: its content once signed in, a sign-in link otherwise. */
export function SignedInOnly({ title, why, children }: { title: string; why: string; children: ReactNode }) {
  const t = useT();
  const user = useSession((s) => s.user);
  const restored = useSession((s) => s.restored);
  return (
    <section className="flex max-w-2xl flex-col gap-4 py-6">
      <PageTitle>{title}</PageTitle>
      {user ? (
        children
      ) : !restored ? (
        <Loading />
      ) : (
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> {why}
        </p>
      )}
    </section>
  );
}
