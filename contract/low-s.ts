/**
 * The low-S rule for ES256 pass signatures, shared by the API and the checkpoint page (no imports, so
 * the page can bundle it). An ECDSA signature (r, s) and its twin (r, n - s) both verify; passes accept
 * only the one with s <= n/2, so a genuine pass has exactly one valid signature and its text cannot be
 * changed without the key.
 */

const COORDINATE_BYTES = 32;
/** The P-256 group order n. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
/** floor(n / 2), big-endian: the largest s allowed. */
const HALF_ORDER = hexBytes('7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8');

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Whether the s half of a raw 64-byte r||s signature is at most n/2 (a byte comparison, no big numbers). */
export function isLowS(signature: Uint8Array): boolean {
  if (signature.length !== 2 * COORDINATE_BYTES) return false;
  for (let i = 0; i < COORDINATE_BYTES; i += 1) {
    const byte = signature[COORDINATE_BYTES + i] ?? 0;
    const limit = HALF_ORDER[i] ?? 0;
    if (byte !== limit) return byte < limit;
  }
  return true;
}

/** The low-S twin of a raw r||s signature (itself when already low-S): s becomes n - s. */
export function toLowS(signature: Uint8Array): Uint8Array {
  if (signature.length !== 2 * COORDINATE_BYTES || isLowS(signature)) return signature;
  let s = 0n;
  for (const byte of signature.subarray(COORDINATE_BYTES)) s = (s << 8n) | BigInt(byte);
  // s >= n is no signature at all: left as it is, for the verifier to refuse.
  if (s >= P256_ORDER) return signature;
  let low = P256_ORDER - s;
  const out = new Uint8Array(signature);
  for (let i = 2 * COORDINATE_BYTES - 1; i >= COORDINATE_BYTES; i -= 1) {
    out[i] = Number(low & 0xffn);
    low >>= 8n;
  }
  return out;
}
