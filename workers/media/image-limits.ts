/**
 * What covers and avatars may be (checked on their bytes by media/images.ts). No imports: the web
 * app imports these too, to refuse a wrong file before sending it.
 */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const IMAGE_MIME_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
