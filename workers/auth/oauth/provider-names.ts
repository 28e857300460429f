// No imports: the web app reads these names too (its buttons and messages).

/** The sign-in providers this server knows, and how they are named to people. */
export const PROVIDER_NAMES = { github: "GitHub", google: "Google", discord: "Discord" } as const;
export type ProviderId = keyof typeof PROVIDER_NAMES;
export const PROVIDER_IDS = Object.keys(PROVIDER_NAMES) as ProviderId[];

/** The provider's name, or the id itself for one this server does not know. */
export function providerName(id: string): string {
  return (PROVIDER_NAMES as Record<string, string | undefined>)[id] ?? id;
}
