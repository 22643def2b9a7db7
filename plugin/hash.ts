/**
 * A 64-bit FNV-1a hash with a murmur finaliser, for deterministic interface names, MACs and lock names. It keeps
 * node:crypto (≈5 ms of module loading) off the plugin's start-up; the inputs are container ids
 * and interface names chosen by the runtime, so a non-cryptographic hash is enough, and ADD
 * refuses a name that exists anyway.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

/** MurmurHash3's fmix64: every input bit flips about half the output bits (FNV alone does not). */
function fmix64(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  return k ^ (k >> 33n);
}

export function fnv1a64(text: string): bigint {
  let h = OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * PRIME) & MASK;
  }
  return fmix64(h);
}

/** `bytes` bytes (at most 16) of hash, from two independent 64-bit hashes of the input. */
export function hashBytes(text: string, bytes: number): Uint8Array {
  const value = (fnv1a64(`a\0${text}`) << 64n) | fnv1a64(`b\0${text}`);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Number((value >> BigInt(8 * (15 - i))) & 0xffn);
  return out;
}

export function hashHex(text: string, bytes: number): string {
  return [...hashBytes(text, bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
