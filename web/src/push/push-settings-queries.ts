import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PushNotificationType } from "../../../workers/api-types.ts";
import { api, errorMessage } from "../api.ts";

export type QuietHours = { start: string; end: string; timeZone: string };
export type PushSettings = { types: Record<PushNotificationType, boolean>; quietHours: QuietHours | null };
export type PushSettingsChange = {
  types?: Partial<Record<PushNotificationType, boolean>>;
  quietHours?: QuietHours | null;
};

const settingsKey = ["me", "notification-settings"] as const;

export function usePushSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: async (): Promise<PushSettings> => {
      const response = await api.me["notification-settings"].$get();
      if (!response.ok) throw new Error(await errorMessage(response));
      return response.json();
    },
  });
}

/** Saves a change; the cache shows it at once and takes the server's answer when it comes. */
export function useSavePushSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: PushSettingsChange): Promise<PushSettings> => {
      const response = await api.me["notification-settings"].$patch({ json: change });
      if (!response.ok) throw new Error(await errorMessage(response));
      return response.json();
    },
    onMutate: (change) => {
      const before = queryClient.getQueryData<PushSettings>(settingsKey);
      if (before) {
        queryClient.setQueryData<PushSettings>(settingsKey, {
          types: { ...before.types, ...change.types },
          quietHours: change.quietHours === undefined ? before.quietHours : change.quietHours,
        });
      }
      return { before };
    },
    onError: (_error, _change, context) => {
      if (context?.before) queryClient.setQueryData(settingsKey, context.before);
    },
    onSuccess: (saved) => queryClient.setQueryData(settingsKey, saved),
  });
}
