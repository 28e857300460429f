import { useQuery } from "@tanstack/react-query";
import { type ProviderId, providerName } from "../../../workers/auth/oauth/provider-names.ts";
import { api, unwrap } from "../api.ts";
import { publicKeys } from "../lib/query-keys.ts";

export { providerName };
export type SignInProvider = { id: ProviderId; name: string };

/** The providers configured on this server (none when unconfigured: their buttons stay hidden). */
export function useSignInProviders() {
  return useQuery({
    queryKey: publicKeys.signInProviders(),
    queryFn: async () => (await unwrap(api.auth.providers.$get())).items as SignInProvider[],
    staleTime: 5 * 60_000,
  });
}

/**
 * Asks the API to start a sign-in (or, signed in, a link) and sends the browser to the provider.
 * The provider sends it back to /oauth/callback/:provider.
 */
export async function goToProvider(provider: ProviderId, mode: "sign-in" | "link"): Promise<void> {
  const answer =
    mode === "link"
      ? await unwrap(api.me.identities[":provider"].start.$post({ param: { provider } }))
      : await unwrap(api.auth.oauth[":provider"].start.$post({ param: { provider } }));
  window.location.assign(answer.url);
}
