import { Link } from "../components/Link.tsx";
import { AvatarForm } from "../components/profile/AvatarForm.tsx";
import { ProfileDetailsForm } from "../components/profile/ProfileDetailsForm.tsx";
import { useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";

/** The signed-in user's public profile: avatar, display name, bio. */
export function ProfileSettingsPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  return (
    <section className="flex max-w-lg flex-col gap-8 py-6">
      <PageTitle>{t("profile.settingsTitle")}</PageTitle>
      {user ? (
        <>
          <AvatarForm user={user} />
          <ProfileDetailsForm user={user} />
          <Link href={`/u/${user.username}`} className="target-link self-start">
            {t("profile.viewPublic")}
          </Link>
        </>
      ) : (
        <p>
          <Link href="/login">{t("profile.settingsSignIn")}</Link>
        </p>
      )}
    </section>
  );
}
