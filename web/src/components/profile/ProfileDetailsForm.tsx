import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId } from "react";
import type { SelfUser } from "../../../../workers/api-types.ts";
import { api, unwrap } from "../../api.ts";
import { useT } from "../../i18n/i18n.ts";
import { useQueryKeys } from "../../lib/query-keys.ts";
import { useSession } from "../../stores/session.ts";

/** The signed-in user's display name and bio. */
export function ProfileDetailsForm({ user }: { user: SelfUser }) {
  const t = useT();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const ids = { name: useId(), bio: useId() };
  const save = useMutation({
    mutationFn: (form: FormData) =>
      unwrap(
        api.me.$patch({
          json: { displayName: String(form.get("displayName") ?? "").trim(), bio: String(form.get("bio") ?? "") },
        }),
      ),
    onSuccess: async (updated) => {
      useSession.setState({ user: updated });
      await queryClient.invalidateQueries({ queryKey: keys.all });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(new FormData(event.currentTarget));
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-labelledby="details-title">
      <h2 id="details-title" className="text-lg font-semibold">
        {t("profile.details")}
      </h2>
      <label htmlFor={ids.name} className="flex flex-col gap-1">
        {t("profile.displayName")}
        <input
          id={ids.name}
          name="displayName"
          defaultValue={user.displayName}
          required
          maxLength={60}
          className="input"
        />
      </label>
      <label htmlFor={ids.bio} className="flex flex-col gap-1">
        {t("profile.bio")}
        <textarea id={ids.bio} name="bio" defaultValue={user.bio} maxLength={2000} rows={4} className="input" />
      </label>
      <p role="status" className="text-sm text-muted">
        {save.isSuccess && t("profile.detailsSaved")}
      </p>
      {save.isError && (
        <p role="alert" className="text-danger">
          {save.error.message}
        </p>
      )}
      <button type="submit" className="btn-primary self-start" disabled={save.isPending}>
        {save.isPending ? t("auth.wait") : t("profile.detailsSave")}
      </button>
    </form>
  );
}
