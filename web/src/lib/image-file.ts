import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES } from "../../../workers/media/image-limits.ts";
import { t } from "../i18n/i18n.ts";
import { formatBytes } from "./format.ts";

export const IMAGE_ACCEPT = IMAGE_MIME_TYPES.join(",");

/**
 * Why the server would refuse this file as a cover or avatar, to say so before sending it; null if
 * it looks right. The server still checks the bytes (a renamed file gets its 415).
 */
export function imageProblem(file: File): string | null {
  if (!(IMAGE_MIME_TYPES as readonly string[]).includes(file.type)) return t("image.wrongType", { name: file.name });
  if (file.size > MAX_IMAGE_BYTES) {
    return t("image.tooLarge", { size: formatBytes(file.size), max: formatBytes(MAX_IMAGE_BYTES) });
  }
  return null;
}

/** The rule, to show next to a file input. */
export const imageRules = () => t("image.rules", { max: formatBytes(MAX_IMAGE_BYTES) });
