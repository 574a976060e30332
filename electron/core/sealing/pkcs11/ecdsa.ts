import { derElement, derUnsignedInteger } from './der'

/**
 * CKM_ECDSA returns the bare r‖s, each half as long as the curve order (PKCS#11 2.40 §2.3.1);
 * CMS and node:crypto want the DER ECDSA-Sig-Value, SEQUENCE { r INTEGER, s INTEGER } (RFC 5480).
 */
export function ecdsaRawToDer(raw: Uint8Array): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error(`ECDSA: a raw signature of ${raw.length} bytes has no r and s halves`)
  const half = raw.length / 2
  return derElement(0x30, derUnsignedInteger(raw.subarray(0, half)), derUnsignedInteger(raw.subarray(half)))
}
