import { useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { goToProvider, type SignInProvider, useSignInProviders } from "./sign-in-providers.ts";

/** "Continue with GitHub" (Google, Discord) on the sign-in and sign-up pages, for configured providers only. */
export function ProviderButtons() {
  const t = useT();
  const providers = useSignInProviders();
  const [going, setGoing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!providers.data?.length) return null;

  async function go(provider: SignInProvider) {
    setGoing(provider.id);
    setError(null);
    try {
      await goToProvider(provider.id, "sign-in");
    } catch (failure) {
      setError((failure as Error).message);
      setGoing(null);
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <p className="text-center text-sm text-muted">{t("oauth.or")}</p>
      {providers.data.map((provider) => (
        <button
          key={provider.id}
          type="button"
          className="btn"
          disabled={going !== null}
          aria-busy={going === provider.id}
          onClick={() => go(provider)}
        >
          {going === provider.id
            ? t("oauth.redirecting", { provider: provider.name })
            : t("oauth.continueWith", { provider: provider.name })}
        </button>
      ))}
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
