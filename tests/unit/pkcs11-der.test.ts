import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ecdsaRawToDer } from '../../electron/core/sealing/pkcs11/ecdsa'
import { ecSpki, P256_PARAMETERS, rsaSpki, unwrapEcPoint } from '../../electron/core/sealing/pkcs11/spki'

function base64url(value: string): Buffer {
  return Buffer.from(value, 'base64url')
}

describe('the token layer’s small DER', () => {
  it('turns raw r‖s into a DER ECDSA-Sig-Value node:crypto verifies, whatever the leading bytes', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    for (let round = 0; round < 64; round += 1) {
      const data = Buffer.from(`round ${round}`)
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, ecdsaRawToDer(raw))).toBe(true)
    }
  })

  it('encodes INTEGERs minimally: leading zeros dropped, a zero added before a set top bit', () => {
    const raw = Buffer.concat([Buffer.from([0, 0, 0x7f]), Buffer.alloc(29, 1), Buffer.from([0x80]), Buffer.alloc(31, 2)])
    const der = ecdsaRawToDer(raw)
    expect(der.subarray(0, 5).toString('hex')).toBe('3043021e7f')
    expect(der.subarray(2 + 2 + 30, 2 + 2 + 30 + 3).toString('hex')).toBe('022100')
    expect(() => ecdsaRawToDer(Buffer.alloc(63))).toThrow(/r and s/)
    // P-521 signatures need the long length form.
    expect(ecdsaRawToDer(Buffer.alloc(132, 0xff)).subarray(0, 3).toString('hex')).toBe('30818a')
  })

  it('builds the same SubjectPublicKeyInfo as node:crypto for RSA and EC keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey
    const rsaJwk = rsa.export({ format: 'jwk' })
    expect(rsaSpki(base64url(rsaJwk.n!), base64url(rsaJwk.e!)).equals(rsa.export({ type: 'spki', format: 'der' }))).toBe(true)

    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
    const ecJwk = ec.export({ format: 'jwk' })
    const point = Buffer.concat([Buffer.from([4]), base64url(ecJwk.x!), base64url(ecJwk.y!)])
    const wrapped = Buffer.concat([Buffer.from([0x04, point.length]), point])
    const expected = ec.export({ type: 'spki', format: 'der' })
    expect(ecSpki(P256_PARAMETERS, wrapped).equals(expected)).toBe(true)
    expect(ecSpki(P256_PARAMETERS, point).equals(expected)).toBe(true)
    expect(createPublicKey({ key: ecSpki(P256_PARAMETERS, point), format: 'der', type: 'spki' }).asymmetricKeyType).toBe('ec')
  })

  it('tells a bare EC point from a wrapped one even when X starts with 0x40', () => {
    const bare = Buffer.concat([Buffer.from([0x04, 0x40]), Buffer.alloc(63, 7)])
    expect(unwrapEcPoint(bare).equals(bare)).toBe(true)
    expect(unwrapEcPoint(Buffer.concat([Buffer.from([0x04, 0x41]), bare])).equals(bare)).toBe(true)
  })
})
