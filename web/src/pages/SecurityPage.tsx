import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { PasskeySection } from "../security/PasskeySection.tsx";
import { TotpSection } from "../security/TotpSection.tsx";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

/** How the account signs in: two-step sign-in with an authenticator app, recovery codes, passkeys. */
export function SecurityPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  if (!user) {
    return (
      <section className="py-6">
        <PageTitle>{t("security.title")}</PageTitle>
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> {t("security.signIn")}
        </p>
      </section>
    );
  }
  return (
    <section className="flex max-w-2xl flex-col gap-8 py-6">
      <PageTitle>{t("security.title")}</PageTitle>
      <TotpSection username={user.username} />
      <PasskeySection />
    </section>
  );
}
