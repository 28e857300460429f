import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { SelfUser } from "../../../../workers/api-types.ts";
import { errorMessage } from "../../api.ts";
import { useT } from "../../i18n/i18n.ts";
import { NetworkFailure, putWithProgress } from "../../lib/put-with-progress.ts";
import { useQueryKeys } from "../../lib/query-keys.ts";
import { useSession } from "../../stores/session.ts";
import { ImagePicker } from "../ImagePicker.tsx";

type State =
  | { kind: "idle" }
  | { kind: "sending"; percent: number }
  | { kind: "saved" }
  | { kind: "failed"; message: string };

/** Choose, preview and save the signed-in user's avatar, with the upload's progress. */
export function AvatarForm({ user }: { user: SelfUser }) {
  const t = useT();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ kind: "idle" });
  // A new file input each save, so the saved file is no longer "chosen".
  const [pickerKey, setPickerKey] = useState(0);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setState({ kind: "sending", percent: 0 });
    try {
      const response = await putWithProgress("/api/v1/me/avatar", file, (sent) =>
        setState({ kind: "sending", percent: Math.min(100, Math.floor((sent / Math.max(1, file.size)) * 100)) }),
      );
      if (!response.ok) throw new Error(await errorMessage(response));
      const updated = (await response.json()) as SelfUser;
      useSession.setState({ user: updated });
      await queryClient.invalidateQueries({ queryKey: keys.all });
      setFile(null);
      setPickerKey((k) => k + 1);
      setState({ kind: "saved" });
    } catch (error) {
      const message = error instanceof NetworkFailure || error instanceof Error ? error.message : t("app.error");
      setState({ kind: "failed", message });
    }
  };

  const sending = state.kind === "sending";
  return (
    <form onSubmit={save} className="flex flex-col gap-3" aria-labelledby="avatar-title">
      <h2 id="avatar-title" className="text-lg font-semibold">
        {t("profile.avatar")}
      </h2>
      <ImagePicker
        key={pickerKey}
        label={t("profile.avatarChoose")}
        currentSrc={user.avatarUrl}
        name={user.displayName}
        round
        disabled={sending}
        onChange={(chosen) => {
          setFile(chosen);
          setState({ kind: "idle" });
        }}
      />
      {sending && (
        <div
          role="progressbar"
          aria-label={t("profile.avatarProgress")}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={state.percent}
          className="h-2 w-full overflow-hidden rounded bg-raised"
        >
          <div
            className="h-full origin-left bg-accent transition-transform"
            style={{ transform: `scaleX(${state.percent / 100})` }}
          />
        </div>
      )}
      <p role="status" className="text-sm text-muted">
        {state.kind === "saved" && t("profile.avatarSaved")}
        {sending && t("profile.avatarSending", { percent: state.percent })}
      </p>
      {state.kind === "failed" && (
        <p role="alert" className="text-danger">
          {state.message}
        </p>
      )}
      <button type="submit" className="btn-primary self-start" disabled={!file || sending}>
        {t("profile.avatarSave")}
      </button>
    </form>
  );
}
