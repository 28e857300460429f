import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../api.ts";
import { QueryView } from "../components/QueryView.tsx";
import { useLocale, useT } from "../i18n/i18n.ts";
import { useQueryKeys } from "../lib/query-keys.ts";
import { useLocation } from "../lib/router.ts";
import { SignedInOnly } from "./SignedInOnly.tsx";
import { goToProvider, providerName, type SignInProvider, useSignInProviders } from "./sign-in-providers.ts";

type LinkedIdentity = {
  id: string;
  provider: string;
  providerName: string;
  label: string;
  email: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  canUnlink: boolean;
};

/** Settings → Linked accounts: GitHub, Google or Discord accounts that sign in here; link and unlink. */
export function LinkedAccountsPage() {
  const t = useT();
  return (
    <SignedInOnly title={t("linked.title")} why={t("linked.signIn")}>
      <LinkedAccounts />
    </SignedInOnly>
  );
}

function LinkedAccounts() {
  const t = useT();
  const locale = useLocale();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const justLinked = useLocation().search.get("linked");
  const providers = useSignInProviders();
  const [linking, setLinking] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const linked = useQuery({
    queryKey: keys.linkedAccounts(),
    queryFn: async () => (await unwrap(api.me.identities.$get())).items as LinkedIdentity[],
  });
  const unlink = useMutation({
    mutationFn: (id: string) => unwrap(api.me.identities[":id"].$delete({ param: { id } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.linkedAccounts() }),
  });

  async function link(provider: SignInProvider) {
    setLinking(provider.id);
    setLinkError(null);
    try {
      await goToProvider(provider.id, "link");
    } catch (failure) {
      setLinkError((failure as Error).message);
      setLinking(null);
    }
  }

  return (
    <>
      <p className="text-muted">{t("linked.intro")}</p>
      {justLinked && (
        <p role="status" className="rounded border border-accent p-3">
          {t("linked.done", { provider: providerName(justLinked) })}
        </p>
      )}
      <QueryView query={linked}>
        {(items) =>
          items.length === 0 ? (
            <p className="text-muted">{t("linked.none")}</p>
          ) : (
            <ul aria-label={t("linked.title")} className="flex flex-col divide-y divide-line">
              {items.map((item) => (
                <li key={item.id} className="flex min-h-11 flex-wrap items-center gap-3 py-3">
                  <div className="flex-1">
                    <p className="font-medium">
                      {item.providerName}: {item.label}
                    </p>
                    <p className="text-sm text-muted">
                      {t("linked.since", { date: new Date(item.createdAt).toLocaleDateString(locale) })}
                    </p>
                    {!item.canUnlink && <p className="text-sm text-muted">{t("linked.lastWay")}</p>}
                  </div>
                  <button
                    type="button"
                    className="btn"
                    aria-label={t("linked.unlinkLabel", { provider: item.providerName, label: item.label })}
                    disabled={!item.canUnlink || (unlink.isPending && unlink.variables === item.id)}
                    onClick={() => unlink.mutate(item.id)}
                  >
                    {t("linked.unlink")}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      {unlink.error && (
        <p role="alert" className="text-danger">
          {unlink.error.message}
        </p>
      )}
      {(providers.data?.length ?? 0) > 0 && (
        <div className="flex flex-wrap gap-3">
          {providers.data?.map((provider) => (
            <button
              key={provider.id}
              type="button"
              className="btn"
              disabled={linking !== null}
              aria-busy={linking === provider.id}
              onClick={() => link(provider)}
            >
              {linking === provider.id
                ? t("oauth.redirecting", { provider: provider.name })
                : t("linked.add", { provider: provider.name })}
            </button>
          ))}
        </div>
      )}
      {linkError && (
        <p role="alert" className="text-danger">
          {linkError}
        </p>
      )}
    </>
  );
}
