// Waveform peaks from decoded PCM (interleaved signed 16-bit little endian, any channel count):
// the maximum absolute sample of every block of frames, reduced at the end to ~1000 points in 0..1.

export const WAVEFORM_POINTS = 1000;
/** When a wrong duration estimate yields this many blocks, pairs are merged (bounded memory). */
const MAX_BLOCKS = 64_000;

export class PeakAccumulator {
  readonly channels: number;
  blockFrames: number;
  /** Frames decoded so far. */
  frames = 0;
  private blocks: number[] = [];
  private current = 0;
  private inBlock = 0;
  private carry: Buffer | null = null;

  /**
   * @param channels interleaved channel count of the PCM
   * @param expectedFrames estimate of the total frame count (to pick a block size giving several
   *   blocks per output point); the result does not depend on it being exact
   */
  constructor(channels: number, expectedFrames: number) {
    this.channels = Math.max(1, channels);
    this.blockFrames = Math.max(1, Math.floor(expectedFrames / (WAVEFORM_POINTS * 4)));
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const frameBytes = 2 * this.channels;
    const usable = data.length - (data.length % frameBytes);
    if (usable < data.length) this.carry = Buffer.from(data.subarray(usable));
    const channels = this.channels;
    let blockFrames = this.blockFrames;
    // Little-endian hosts only (x86-64, arm64): view the bytes as int16 directly.
    const aligned = data.byteOffset % 2 === 0 ? data : Buffer.from(data.subarray(0, usable));
    const samples = new Int16Array(aligned.buffer, aligned.byteOffset, usable / 2);
    let current = this.current;
    let inBlock = this.inBlock;
    for (let i = 0; i < samples.length; i += channels) {
      for (let c = 0; c < channels; c++) {
        const v = samples[i + c] as number;
        const a = v < 0 ? -v : v;
        if (a > current) current = a;
      }
      if (++inBlock === blockFrames) {
        this.blocks.push(current);
        current = 0;
        inBlock = 0;
        if (this.blocks.length >= MAX_BLOCKS) blockFrames = this.compact();
      }
    }
    this.current = current;
    this.inBlock = inBlock;
    this.frames += usable / frameBytes;
  }

  /** Merges neighbouring blocks and doubles the block size; returns the new size. */
  private compact(): number {
    const merged: number[] = [];
    for (let i = 0; i < this.blocks.length; i += 2) {
      merged.push(Math.max(this.blocks[i] as number, this.blocks[i + 1] ?? 0));
    }
    this.blocks = merged;
    this.blockFrames *= 2;
    return this.blockFrames;
  }

  /** Peaks in 0..1 (rounded to 3 decimals), WAVEFORM_POINTS of them unless there are fewer blocks. */
  finish(points = WAVEFORM_POINTS): number[] {
    const blocks = this.inBlock > 0 ? [...this.blocks, this.current] : this.blocks;
    const n = Math.min(points, blocks.length);
    const peaks: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const from = Math.floor((i * blocks.length) / n);
      const to = Math.max(from + 1, Math.floor(((i + 1) * blocks.length) / n));
      let max = 0;
      for (let j = from; j < to; j++) max = Math.max(max, blocks[j] as number);
      peaks[i] = Math.round(Math.min(1, max / 32767) * 1000) / 1000;
    }
    return peaks;
  }
}
