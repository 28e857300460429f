import { useEffect, useId, useState } from "react";
import { useT } from "../i18n/i18n.ts";
import { IMAGE_ACCEPT, imageProblem, imageRules } from "../lib/image-file.ts";
import { Artwork } from "./Artwork.tsx";

/**
 * A file input for a cover or avatar: shows the chosen image before it is saved, and says at once
 * why a file cannot be used (type, size). `onChange` gets the usable file, or null.
 */
export function ImagePicker({
  label,
  currentSrc,
  name,
  round = false,
  disabled = false,
  onChange,
}: {
  label: string;
  currentSrc: string | null | undefined;
  name: string;
  round?: boolean;
  disabled?: boolean;
  onChange: (file: File | null) => void;
}) {
  const t = useT();
  const ids = { input: useId(), error: useId() };
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const choose = (file: File | undefined) => {
    const why = file ? imageProblem(file) : null;
    setProblem(why);
    const usable = file && !why ? file : null;
    setPreview(usable ? URL.createObjectURL(usable) : null);
    onChange(usable);
  };

  return (
    <div className="flex items-center gap-4">
      <Artwork
        src={preview ?? currentSrc}
        name={name}
        round={round}
        className="size-24 shrink-0 text-3xl"
        alt={preview ? t("image.preview") : undefined}
      />
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <label htmlFor={ids.input}>{label}</label>
        <input
          id={ids.input}
          type="file"
          accept={IMAGE_ACCEPT}
          disabled={disabled}
          aria-describedby={problem ? ids.error : undefined}
          aria-invalid={problem ? true : undefined}
          className="input min-w-0"
          onChange={(e) => choose(e.target.files?.[0])}
        />
        <p className="text-sm text-muted">{imageRules()}</p>
        {problem && (
          <p id={ids.error} role="alert" className="text-danger">
            {problem}
          </p>
        )}
      </div>
    </div>
  );
}
