/**
 * File types from magic numbers, never from names. Pure functions over the first bytes of a file.
 * SNIFF_BYTES is enough for every signature here (an Ogg first page with its codec header fits in it).
 */
export const SNIFF_BYTES = 4096;

export type AudioKind = "mp3" | "flac" | "wav" | "aac" | "m4a" | "ogg-vorbis" | "ogg-opus" | "aiff";
export type AudioType = { kind: AudioKind; mime: string; ext: string };
export type ImageType = { mime: "image/jpeg" | "image/png" | "image/webp"; ext: "jpg" | "png" | "webp" };

export const AUDIO_TYPES: Record<AudioKind, AudioType> = {
  mp3: { kind: "mp3", mime: "audio/mpeg", ext: "mp3" },
  flac: { kind: "flac", mime: "audio/flac", ext: "flac" },
  wav: { kind: "wav", mime: "audio/wav", ext: "wav" },
  aac: { kind: "aac", mime: "audio/aac", ext: "aac" },
  m4a: { kind: "m4a", mime: "audio/mp4", ext: "m4a" },
  "ogg-vorbis": { kind: "ogg-vorbis", mime: "audio/ogg", ext: "ogg" },
  "ogg-opus": { kind: "ogg-opus", mime: "audio/ogg; codecs=opus", ext: "opus" },
  aiff: { kind: "aiff", mime: "audio/aiff", ext: "aiff" },
};

/** `ftyp` major brands of MPEG-4 files that carry audio (M4A/M4B and the generic ISO brands). */
const MP4_BRANDS = new Set(["M4A ", "M4B ", "M4P ", "isom", "iso2", "iso5", "iso6", "mp41", "mp42", "dash", "MSNV"]);

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return "";
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (offset + signature.length > bytes.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

/** An MPEG-1/2/2.5 audio frame header (layer I–III) with legal version, layer, bitrate and rate fields. */
function isMpegFrame(bytes: Uint8Array, at: number): boolean {
  if (at + 4 > bytes.length) return false;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 0b11;
  return version !== 0b01 && layer !== 0b00 && bitrate !== 0b1111 && sampleRate !== 0b11;
}

/** ADTS: 12-bit sync, layer 00 (0xFFF1 / 0xFFF9 with or without CRC), a valid sampling index. */
function isAdtsFrame(bytes: Uint8Array, at: number): boolean {
  if (at + 7 > bytes.length) return false;
  const b1 = bytes[at + 1]!;
  if (bytes[at] !== 0xff || (b1 & 0xf6) !== 0xf0) return false;
  const samplingIndex = (bytes[at + 2]! >> 2) & 0b1111;
  return samplingIndex <= 12;
}

/** The ID3v2 tag length (header included), or undefined when `bytes` does not start with one. */
function id3Length(bytes: Uint8Array): number | undefined {
  if (!startsWith(bytes, [0x49, 0x44, 0x33]) || bytes.length < 10) return undefined;
  const major = bytes[3]!;
  if (major < 2 || major > 4 || bytes[4] === 0xff) return undefined;
  let size = 0;
  for (let i = 6; i < 10; i++) {
    const b = bytes[i]!;
    if (b & 0x80) return undefined; // syncsafe integers never set the high bit
    size = (size << 7) | b;
  }
  const footer = bytes[5]! & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

function sniffOgg(bytes: Uint8Array): AudioType | undefined {
  // First page: 27-byte header, then `segments` lacing values, then the codec's identification packet.
  if (bytes.length < 28) return undefined;
  const packet = 27 + bytes[26]!;
  if (ascii(bytes, packet, 7) === "\x01vorbis") return AUDIO_TYPES["ogg-vorbis"];
  if (ascii(bytes, packet, 8) === "OpusHead") return AUDIO_TYPES["ogg-opus"];
  return undefined;
}

function sniffAfterId3(bytes: Uint8Array): AudioType | undefined {
  const skip = id3Length(bytes);
  if (skip === undefined) return undefined;
  // A tag longer than what we hold (large embedded art): the valid ID3 header is the evidence we have.
  if (skip + 4 > bytes.length) return AUDIO_TYPES.mp3;
  if (isMpegFrame(bytes, skip)) return AUDIO_TYPES.mp3;
  if (isAdtsFrame(bytes, skip)) return AUDIO_TYPES.aac;
  if (ascii(bytes, skip, 4) === "fLaC") return AUDIO_TYPES.flac;
  return undefined;
}

/** The audio format of a file from its first bytes, or undefined when it is not one we accept. */
export function sniffAudio(bytes: Uint8Array): AudioType | undefined {
  if (ascii(bytes, 0, 4) === "fLaC") return AUDIO_TYPES.flac;
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE") return AUDIO_TYPES.wav;
  if (ascii(bytes, 0, 4) === "FORM" && ["AIFF", "AIFC"].includes(ascii(bytes, 8, 4))) return AUDIO_TYPES.aiff;
  if (ascii(bytes, 0, 4) === "OggS") return sniffOgg(bytes);
  if (ascii(bytes, 4, 4) === "ftyp" && MP4_BRANDS.has(ascii(bytes, 8, 4))) return AUDIO_TYPES.m4a;
  if (ascii(bytes, 0, 3) === "ID3") return sniffAfterId3(bytes);
  if (isAdtsFrame(bytes, 0)) return AUDIO_TYPES.aac;
  if (isMpegFrame(bytes, 0)) return AUDIO_TYPES.mp3;
  return undefined;
}

const IMAGE_TYPES = {
  jpeg: { mime: "image/jpeg", ext: "jpg" },
  png: { mime: "image/png", ext: "png" },
  webp: { mime: "image/webp", ext: "webp" },
} as const satisfies Record<string, ImageType>;

/** JPEG, PNG or WebP from the first bytes; undefined for anything else. */
export function sniffImage(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return IMAGE_TYPES.jpeg;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return IMAGE_TYPES.png;
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return IMAGE_TYPES.webp;
  return undefined;
}

/** The audio type served for an `original.<ext>` file name. */
export function audioTypeByExt(ext: string): AudioType | undefined {
  return Object.values(AUDIO_TYPES).find((type) => type.ext === ext);
}
