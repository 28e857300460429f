import { Link } from "../components/Link.tsx";
import { useT } from "../i18n/i18n.ts";
import { useSession } from "../stores/session.ts";
import { useDevOutboxAvailable } from "./dev-outbox.ts";
import { ResendVerificationButton } from "./ResendVerificationButton.tsx";

/** Shown to a signed-in user whose address is not verified yet: what it blocks and how to fix it. */
export function VerifyEmailBanner() {
  const t = useT();
  const user = useSession((s) => s.user);
  if (!user || user.emailVerified) return null;
  return (
    <section
      aria-labelledby="verify-email-banner"
      className="mx-auto mt-3 flex w-full max-w-5xl flex-col gap-2 rounded-md border border-line bg-raised px-4 py-3"
    >
      <h2 id="verify-email-banner" className="font-semibold">
        {t("email.banner.title")}
      </h2>
      <p>{t("email.banner.body", { email: user.email })}</p>
      <ResendVerificationButton email={user.email} />
      <DevOutboxLink email={user.email} />
    </section>
  );
}

function DevOutboxLink({ email }: { email: string }) {
  const t = useT();
  if (!useDevOutboxAvailable()) return null;
  return (
    <p className="text-sm">
      <Link href={`/dev/outbox?to=${encodeURIComponent(email)}`}>{t("outbox.link")}</Link>
    </p>
  );
}
