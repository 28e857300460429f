import { useId } from "react";
import { StatusSetting } from "../chat/status.tsx";
import { Link } from "../components/Link.tsx";
import { LOCALES, type Locale, useLocaleChoice, useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { type QualityChoice, usePlayer } from "../stores/player.ts";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", fr: "Français" };
const QUALITIES: QualityChoice[] = ["auto", "low", "medium", "high"];

/** The settings pages of their own, in the order the list shows them. */
const SETTINGS_PAGES = [
  ["/settings/profile", "profile.settingsLink"],
  ["/settings/email", "email.settings.link"],
  ["/settings/notifications", "push.link"],
  ["/settings/security", "security.link"],
  ["/settings/apps", "apps.link"],
  ["/settings/sessions", "sessions.link"],
  ["/settings/linked-accounts", "linked.link"],
  ["/settings/data", "data.link"],
] as const;

/** Listening and language settings (kept in this browser). */
export function SettingsPage() {
  const t = useT();
  const ids = { language: useId(), quality: useId(), normalize: useId() };
  const chosen = useLocaleChoice((s) => s.chosen);
  const choose = useLocaleChoice((s) => s.choose);
  const quality = usePlayer((s) => s.quality);
  const normalize = usePlayer((s) => s.normalize);
  return (
    <section className="flex max-w-lg flex-col gap-6 py-6">
      <PageTitle>{t("settings.title")}</PageTitle>
      <label htmlFor={ids.language} className="flex flex-col gap-1">
        {t("settings.language")}
        <select
          id={ids.language}
          className="input"
          value={chosen ?? ""}
          onChange={(e) => choose((e.target.value || null) as Locale | null)}
        >
          <option value="">{t("settings.language.auto")}</option>
          {(Object.keys(LOCALES) as Locale[]).map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {LANGUAGE_NAMES[locale]}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={ids.quality} className="flex flex-col gap-1">
        {t("player.quality")}
        <select
          id={ids.quality}
          className="input"
          value={quality}
          onChange={(e) => usePlayer.getState().setQuality(e.target.value as QualityChoice)}
        >
          {QUALITIES.map((q) => (
            <option key={q} value={q}>
              {t(`player.quality.${q}`)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={ids.normalize} className="flex min-h-11 items-center gap-3">
        <input
          id={ids.normalize}
          type="checkbox"
          className="size-5 accent-accent"
          checked={normalize}
          onChange={(e) => usePlayer.getState().setNormalize(e.target.checked)}
        />
        {t("player.normalize")}
      </label>
      <StatusSetting />
      {SETTINGS_PAGES.map(([href, label]) => (
        <Link key={href} href={href} className="target-link self-start">
          {t(label)}
        </Link>
      ))}
    </section>
  );
}
