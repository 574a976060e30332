import { derElement, derRead, derUnsignedInteger } from './der'

/** rsaEncryption (1.2.840.113549.1.1.1) with its NULL parameters, as an AlgorithmIdentifier. */
const RSA_ALGORITHM = Buffer.from('300d06092a864886f70d0101010500', 'hex')
/** id-ecPublicKey (1.2.840.10045.2.1), the OID alone: the curve follows it. */
const EC_PUBLIC_KEY = Buffer.from('06072a8648ce3d0201', 'hex')

/** DER of the named curve P-256 (prime256v1, 1.2.840.10045.3.1.7), as CKA_EC_PARAMS carries it. */
export const P256_PARAMETERS = Buffer.from('06082a8648ce3d030107', 'hex')

function bitString(contents: Uint8Array): Buffer {
  return derElement(0x03, Buffer.from([0]), contents)
}

/** SubjectPublicKeyInfo of an RSA key from its CKA_MODULUS and CKA_PUBLIC_EXPONENT. */
export function rsaSpki(modulus: Uint8Array, exponent: Uint8Array): Buffer {
  const key = derElement(0x30, derUnsignedInteger(modulus), derUnsignedInteger(exponent))
  return derElement(0x30, RSA_ALGORITHM, bitString(key))
}

/**
 * The uncompressed point 04‖X‖Y from CKA_EC_POINT. PKCS#11 says the attribute is a DER OCTET
 * STRING around the point (SoftHSM2 does that); some drivers give the bare point. A bare point
 * also starts with 0x04, so it counts as wrapped only if the OCTET STRING spans the whole value.
 */
export function unwrapEcPoint(value: Uint8Array): Buffer {
  if (value[0] === 0x04 && value.length > 2) {
    try {
      const span = derRead(value, 0)
      if (span.end === value.length && value[span.start] === 0x04 && (span.end - span.start) % 2 === 1) {
        return Buffer.from(value.subarray(span.start, span.end))
      }
    } catch {
      // Not a well-formed OCTET STRING: the bare point.
    }
  }
  return Buffer.from(value)
}

/** SubjectPublicKeyInfo of an EC key from its CKA_EC_PARAMS (the curve OID) and CKA_EC_POINT. */
export function ecSpki(parameters: Uint8Array, point: Uint8Array): Buffer {
  return derElement(0x30, derElement(0x30, EC_PUBLIC_KEY, parameters), bitString(unwrapEcPoint(point)))
}
