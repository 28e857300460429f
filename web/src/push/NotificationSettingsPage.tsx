import { type FormEvent, useEffect, useId, useState } from "react";
import type { PushNotificationType } from "../../../workers/api-types.ts";
import { Link } from "../components/Link.tsx";
import { useLocale, useT } from "../i18n/i18n.ts";
import { PageTitle } from "../shell/PageTitle.tsx";
import { useSession } from "../stores/session.ts";
import {
  currentSubscription,
  disablePush,
  enablePush,
  PushSetupError,
  pushSupported,
  registerSubscription,
} from "./push-device.ts";
import { type PushSettings, usePushSettings, useSavePushSettings } from "./push-settings-queries.ts";

const TYPES: PushNotificationType[] = [
  "dm",
  "mention",
  "comment",
  "like",
  "follow",
  "party",
  "new_track",
  "track.ready",
  "track.failed",
];

/** Push on this device, which notification types are pushed, and quiet hours. */
export function NotificationSettingsPage() {
  const t = useT();
  const user = useSession((s) => s.user);
  if (!user) {
    return (
      <section className="py-6">
        <PageTitle>{t("push.title")}</PageTitle>
        <p>
          <Link href="/login">{t("nav.signIn")}</Link> {t("push.signIn")}
        </p>
      </section>
    );
  }
  return (
    <section className="flex max-w-lg flex-col gap-8 py-6">
      <PageTitle>{t("push.title")}</PageTitle>
      <p className="text-muted">{t("push.intro")}</p>
      <ThisDevice />
      <SettingsForms />
    </section>
  );
}

type DeviceState = "checking" | "on" | "off" | "unsupported";

function ThisDevice() {
  const t = useT();
  const locale = useLocale();
  const headingId = useId();
  const [state, setState] = useState<DeviceState>(pushSupported() ? "checking" : "unsupported");
  const [busy, setBusy] = useState<"enabling" | "disabling" | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!pushSupported()) return;
    let live = true;
    currentSubscription()
      .then(async (subscription) => {
        // Already subscribed: tell the server again (another account may have signed in here since,
        // or the language changed). No permission prompt: the permission is already granted.
        if (subscription) await registerSubscription(subscription, locale).catch(() => {});
        if (live) setState(subscription ? "on" : "off");
      })
      .catch(() => live && setState("off"));
    return () => {
      live = false;
    };
  }, [locale]);

  function describe(problem: unknown): string {
    if (!(problem instanceof PushSetupError)) return t("push.failed", { reason: String(problem) });
    if (problem.problem === "failed") return t("push.failed", { reason: problem.message });
    return t(`push.${problem.problem}`);
  }

  async function toggle() {
    setError(null);
    setBusy(state === "on" ? "disabling" : "enabling");
    try {
      if (state === "on") {
        await disablePush();
        setState("off");
      } else {
        await enablePush(locale);
        setState("on");
      }
    } catch (problem) {
      setError(describe(problem));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <h2 id={headingId} className="text-xl font-semibold">
        {t("push.device")}
      </h2>
      {state === "unsupported" ? (
        <p>{t("push.unsupported")}</p>
      ) : (
        <>
          <p role="status">{state === "checking" ? t("app.loading") : t(`push.device.${state}`)}</p>
          <div>
            <button
              type="button"
              className={state === "on" ? "btn" : "btn-primary"}
              disabled={state === "checking" || busy !== null}
              aria-busy={busy !== null}
              onClick={toggle}
            >
              {busy ? t(`push.${busy}`) : state === "on" ? t("push.disable") : t("push.enable")}
            </button>
          </div>
        </>
      )}
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
    </section>
  );
}

function SettingsForms() {
  const t = useT();
  const settings = usePushSettings();
  if (settings.isPending) return <p aria-live="polite">{t("push.loading")}</p>;
  if (settings.error) {
    return (
      <p role="alert" className="text-danger">
        {settings.error.message}
      </p>
    );
  }
  return (
    <>
      <TypeSwitches settings={settings.data} />
      <QuietHoursForm settings={settings.data} />
    </>
  );
}

function TypeSwitches({ settings }: { settings: PushSettings }) {
  const t = useT();
  const save = useSavePushSettings();
  const baseId = useId();
  // The switch follows the click at once; the saved settings follow when the server answers.
  const [types, setTypes] = useState(settings.types);
  const toggle = (type: PushNotificationType, on: boolean) => {
    setTypes((current) => ({ ...current, [type]: on }));
    save.mutate({ types: { [type]: on } }, { onError: () => setTypes((current) => ({ ...current, [type]: !on })) });
  };
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="mb-2 text-xl font-semibold">{t("push.types")}</legend>
      {TYPES.map((type) => (
        <label key={type} htmlFor={`${baseId}-${type}`} className="flex min-h-11 items-center gap-3">
          <input
            id={`${baseId}-${type}`}
            type="checkbox"
            className="size-5 accent-accent"
            checked={types[type]}
            onChange={(e) => toggle(type, e.target.checked)}
          />
          {t(`push.type.${type}`)}
        </label>
      ))}
      <p aria-live="polite" className="min-h-6 text-sm text-muted">
        {save.isPending ? t("push.saving") : save.isSuccess ? t("push.saved") : ""}
      </p>
      {save.error && (
        <p role="alert" className="text-danger">
          {save.error.message}
        </p>
      )}
    </fieldset>
  );
}

function QuietHoursForm({ settings }: { settings: PushSettings }) {
  const t = useT();
  const save = useSavePushSettings();
  const ids = { heading: useId(), on: useId(), start: useId(), end: useId(), help: useId() };
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [on, setOn] = useState(settings.quietHours !== null);
  const [start, setStart] = useState(settings.quietHours?.start ?? "22:00");
  const [end, setEnd] = useState(settings.quietHours?.end ?? "07:00");

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ quietHours: on ? { start, end, timeZone: zone } : null });
  }

  return (
    <form aria-labelledby={ids.heading} aria-describedby={ids.help} onSubmit={submit} className="flex flex-col gap-3">
      <h2 id={ids.heading} className="text-xl font-semibold">
        {t("push.quiet")}
      </h2>
      <p id={ids.help} className="text-sm text-muted">
        {t("push.quiet.help")} {t("push.quiet.zone", { zone })}
      </p>
      <label htmlFor={ids.on} className="flex min-h-11 items-center gap-3">
        <input
          id={ids.on}
          type="checkbox"
          className="size-5 accent-accent"
          checked={on}
          onChange={(e) => setOn(e.target.checked)}
        />
        {t("push.quiet.on")}
      </label>
      <div className="flex flex-wrap gap-4">
        <label htmlFor={ids.start} className="flex flex-col gap-1">
          {t("push.quiet.start")}
          <input
            id={ids.start}
            type="time"
            required
            className="input"
            disabled={!on}
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </label>
        <label htmlFor={ids.end} className="flex flex-col gap-1">
          {t("push.quiet.end")}
          <input
            id={ids.end}
            type="time"
            required
            className="input"
            disabled={!on}
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
        </label>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={save.isPending} aria-busy={save.isPending}>
          {save.isPending ? t("push.saving") : t("push.quiet.save")}
        </button>
        <span aria-live="polite" className="text-sm text-muted">
          {save.isSuccess && !save.isPending ? t("push.saved") : ""}
        </span>
      </div>
      {save.error && (
        <p role="alert" className="text-danger">
          {save.error.message}
        </p>
      )}
    </form>
  );
}
