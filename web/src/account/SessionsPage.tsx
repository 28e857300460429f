import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api.ts";
import { ErrorView, Loading } from "../components/QueryView.tsx";
import { type MessageKey, type Translate, useLocale, useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { SignedInOnly } from "./SignedInOnly.tsx";
import { providerName } from "./sign-in-providers.ts";

type DeviceSession = {
  id: string;
  method: string;
  browser: string | null;
  os: string | null;
  city: string | null;
  country: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
};

/** Settings → Devices: every signed-in device, each can be signed out, or all but this one. */
export function SessionsPage() {
  const t = useT();
  return (
    <SignedInOnly title={t("sessions.title")} why={t("sessions.signIn")}>
      <DeviceList />
    </SignedInOnly>
  );
}

function deviceName(t: Translate, session: DeviceSession): string {
  return t("sessions.on", {
    browser: session.browser ?? t("sessions.unknownBrowser"),
    os: session.os ?? t("sessions.unknownOs"),
  });
}

/** How a session signed in: "password", "password+totp", "passkey", … or a provider's id. */
const METHODS: Record<string, MessageKey> = {
  password: "sessions.method.password",
  "password+totp": "sessions.method.passwordTotp",
  "password+recovery_code": "sessions.method.passwordRecovery",
  "password+passkey": "sessions.method.passwordPasskey",
  passkey: "sessions.method.passkey",
};

function methodText(t: Translate, method: string): string {
  const key = METHODS[method];
  return key ? t(key) : t("sessions.method.provider", { provider: providerName(method) });
}

function placeOf(session: DeviceSession, locale: string): string | null {
  let country = session.country;
  if (country) {
    try {
      country = new Intl.DisplayNames([locale], { type: "region" }).of(country) ?? country;
    } catch {}
  }
  return [session.city, country].filter(Boolean).join(", ") || null;
}

function DeviceList() {
  const t = useT();
  const locale = useLocale();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const pages = useInfiniteQuery({
    queryKey: keys.deviceSessions(),
    queryFn: ({ pageParam }) =>
      unwrap(api.me.sessions.$get({ query: { limit: "50", ...(pageParam ? { cursor: pageParam } : {}) } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.deviceSessions() });
  const revoke = useMutation({
    mutationFn: async (session: DeviceSession) => {
      await unwrap(api.me.sessions[":id"].$delete({ param: { id: session.id } }));
      return session;
    },
    onSuccess: (session) => setNotice(t("sessions.revoked", { device: deviceName(t, session) })),
    onSettled: refresh,
  });
  const revokeOthers = useMutation({
    mutationFn: () => unwrap(api.me.sessions["revoke-others"].$post()),
    onSuccess: () => setNotice(t("sessions.othersDone")),
    onSettled: refresh,
  });

  if (pages.isPending) return <Loading />;
  if (pages.isError) return <ErrorView error={pages.error} retry={() => void pages.refetch()} />;
  const sessions = pages.data.pages.flatMap((page) => page.items as DeviceSession[]);
  const others = sessions.filter((session) => !session.current).length;
  const error = revoke.error ?? revokeOthers.error;

  return (
    <>
      <p className="text-muted">{t("sessions.intro")}</p>
      <ul aria-label={t("sessions.title")} className="flex flex-col divide-y divide-line">
        {sessions.map((session) => {
          const name = deviceName(t, session);
          const place = placeOf(session, locale);
          const method = methodText(t, session.method);
          return (
            <li key={session.id} className="flex min-h-11 flex-wrap items-center gap-3 py-3">
              <div className="flex-1">
                <p className="font-medium">
                  {name}
                  {session.current && (
                    <span className="ms-2 rounded bg-accent/15 px-2 py-0.5 text-sm text-accent">
                      {t("sessions.thisDevice")}
                    </span>
                  )}
                </p>
                <p className="text-sm text-muted">
                  {place ? t("sessions.place", { place }) : t("sessions.unknownPlace")} ·{" "}
                  {t("sessions.lastUsed", { date: new Date(session.lastUsedAt).toLocaleString(locale) })}
                </p>
                <p className="text-sm text-muted">
                  {t("sessions.signedIn", { date: new Date(session.createdAt).toLocaleString(locale), method })}
                </p>
              </div>
              {!session.current && (
                <button
                  type="button"
                  className="btn"
                  aria-label={t("sessions.revokeLabel", { device: name })}
                  disabled={revoke.isPending && revoke.variables?.id === session.id}
                  onClick={() => revoke.mutate(session)}
                >
                  {t("sessions.revoke")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {pages.hasNextPage && (
        <button
          type="button"
          className="btn self-start"
          onClick={() => void pages.fetchNextPage()}
          disabled={pages.isFetchingNextPage}
        >
          {pages.isFetchingNextPage ? t("app.loading") : t("list.more")}
        </button>
      )}
      <button
        type="button"
        className="btn self-start"
        disabled={others === 0 || revokeOthers.isPending}
        aria-busy={revokeOthers.isPending}
        onClick={() => revokeOthers.mutate()}
      >
        {revokeOthers.isPending ? t("sessions.revokingOthers") : t("sessions.revokeOthers")}
      </button>
      <p role="status" aria-live="polite" className="min-h-6">
        {notice}
      </p>
      {error && (
        <p role="alert" className="text-danger">
          {error.message}
        </p>
      )}
    </>
  );
}
