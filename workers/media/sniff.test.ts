import { describe, expect, it } from "vitest";
import { sniffAudio, sniffImage } from "./sniff.ts";
import { jpegBytes, mp3Bytes, pngBytes, wavBytes, webpBytes, zipBytes } from "./test/fixtures.ts";

const ascii = (text: string) => Array.from(text, (ch) => ch.charCodeAt(0));
const bytes = (...parts: Array<number[] | string>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? ascii(p) : p)).concat(new Array(64).fill(0)));

/** An Ogg first page (27-byte header, one lacing value) whose packet starts with `packet`. */
const oggPage = (packet: string) => bytes("OggS", [0, 2], new Array(20).fill(0), [1, packet.length], packet);

describe("audio sniffing", () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ["MP3 with an ID3v2 tag", mp3Bytes(), "audio/mpeg"],
    ["bare MPEG-1 Layer III frame", bytes([0xff, 0xfb, 0x90, 0x64]), "audio/mpeg"],
    ["MPEG-2 Layer III frame", bytes([0xff, 0xf3, 0x84, 0xc4]), "audio/mpeg"],
    ["FLAC", bytes("fLaC", [0, 0, 0, 0x22]), "audio/flac"],
    ["FLAC behind an ID3 tag", bytes("ID3", [3, 0, 0, 0, 0, 0, 0], "fLaC"), "audio/flac"],
    ["WAV", wavBytes(100), "audio/wav"],
    ["ADTS AAC (0xFFF1)", bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), "audio/aac"],
    ["ADTS AAC with CRC (0xFFF9)", bytes([0xff, 0xf9, 0x50, 0x80, 0x02, 0x1f, 0xfc]), "audio/aac"],
    ["M4A", bytes([0, 0, 0, 0x20], "ftypM4A ", [0, 0, 0, 0], "M4A isom"), "audio/mp4"],
    ["MP4 (isom brand)", bytes([0, 0, 0, 0x18], "ftypisom"), "audio/mp4"],
    ["Ogg Vorbis", oggPage("\x01vorbis"), "audio/ogg"],
    ["Ogg Opus", oggPage("OpusHead"), "audio/ogg; codecs=opus"],
    ["AIFF", bytes("FORM", [0, 0, 0, 0x40], "AIFF"), "audio/aiff"],
    ["AIFF-C", bytes("FORM", [0, 0, 0, 0x40], "AIFC"), "audio/aiff"],
  ];
  for (const [name, input, mime] of cases) {
    it(`recognises ${name}`, () => expect(sniffAudio(input)?.mime).toBe(mime));
  }

  const refused: Array<[string, Uint8Array]> = [
    ["a ZIP", zipBytes()],
    ["a PNG", pngBytes()],
    ["plain text", new TextEncoder().encode("ID3 is not a tag here, just text")],
    ["an Ogg Theora video", oggPage("\x80theora")],
    ["a RIFF AVI", bytes("RIFF", [0, 0, 0, 0], "AVI ")],
    ["an MP4 of an unknown brand", bytes([0, 0, 0, 0x18], "ftypqt  ")],
    ["a frame sync with a reserved layer", bytes([0xff, 0xe0, 0x90, 0x64])],
    ["a frame sync with a bad bitrate", bytes([0xff, 0xfb, 0xf0, 0x64])],
    ["an ID3 tag followed by garbage", bytes("ID3", [4, 0, 0, 0, 0, 0, 0], "garbage")],
    ["an ID3 header with a non-syncsafe size", bytes("ID3", [4, 0, 0, 0x80, 0, 0, 0])],
    ["nothing", new Uint8Array(0)],
  ];
  for (const [name, input] of refused) {
    it(`refuses ${name}`, () => expect(sniffAudio(input)).toBeUndefined());
  }

  it("trusts a valid ID3 header whose tag runs past the bytes at hand (large embedded art)", () => {
    // Tag size 0x7f7f7f syncsafe ≈ 2 MB, far beyond the 4 KiB we sniff.
    expect(sniffAudio(bytes("ID3", [3, 0, 0, 0, 0x7f, 0x7f, 0x7f]))?.kind).toBe("mp3");
  });
});

describe("image sniffing", () => {
  it("recognises JPEG, PNG and WebP by their bytes", () => {
    expect(sniffImage(jpegBytes())?.mime).toBe("image/jpeg");
    expect(sniffImage(pngBytes())?.mime).toBe("image/png");
    expect(sniffImage(webpBytes())?.mime).toBe("image/webp");
  });

  it("refuses audio, SVG, GIF and truncated signatures", () => {
    expect(sniffImage(wavBytes(100))).toBeUndefined();
    expect(sniffImage(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeUndefined();
    expect(sniffImage(new TextEncoder().encode("GIF89a"))).toBeUndefined();
    expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e]))).toBeUndefined();
  });
});
