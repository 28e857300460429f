import { type ReactNode, useEffect, useRef } from "react";
import { useT } from "../i18n/i18n.ts";
import { Icon } from "./Icon.tsx";

/** A modal sheet on the native <dialog> (focus kept inside, Escape closes, focus returns after). */
export function Sheet({
  open,
  onClose,
  title,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
}) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal?.();
    if (!open && element.open) element.close?.();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-label={title}
      className="m-0 mt-auto max-h-[92dvh] w-full max-w-none overflow-y-auto rounded-t-2xl bg-surface p-4 text-fg backdrop:bg-black/60 sm:m-auto sm:max-w-2xl sm:rounded-2xl"
    >
      <div className="mb-2 flex items-center justify-between">
        <h2 className="text-lg font-semibold">{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t("shortcuts.close")}>
          <Icon name="close" />
        </button>
      </div>
      {open && children}
    </dialog>
  );
}
