const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A time-ordered, URL-safe id (48-bit millisecond time + 80 random bits, Crockford base32). */
export function newId(now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let rest = "";
  for (const byte of random) rest += ALPHABET[byte % 32];
  return time + rest;
}
