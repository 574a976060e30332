import { describe, expect, it } from 'vitest'
import { canonicalJson, digestOf, sha256Hex } from '../../electron/core/util/canonical'

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}')
    expect(canonicalJson({ c: 3, a: 2, b: 1 })).toBe(canonicalJson({ a: 2, b: 1, c: 3 }))
  })

  it('sorts nested objects at every level and writes no whitespace', () => {
    const one = { z: { y: 1, x: [{ b: 2, a: 1 }] }, a: '审核' }
    const two = { a: '审核', z: { x: [{ a: 1, b: 2 }], y: 1 } }
    expect(canonicalJson(one)).toBe('{"a":"审核","z":{"x":[{"a":1,"b":2}],"y":1}}')
    expect(canonicalJson(two)).toBe(canonicalJson(one))
  })

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]')
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]))
    expect(canonicalJson([undefined, null, 'a'])).toBe('[null,null,"a"]')
  })

  it('drops undefined members, keeps null, and serialises scalars like JSON', () => {
    expect(canonicalJson({ a: undefined, b: null, c: true, d: 'x"y' })).toBe('{"b":null,"c":true,"d":"x\\"y"}')
    expect(canonicalJson(null)).toBe('null')
    expect(canonicalJson(undefined)).toBe('null')
    expect(canonicalJson(42)).toBe('42')
    expect(canonicalJson('上海')).toBe('"上海"')
  })

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow()
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow()
  })

  it('gives equal digests for equal states and null for no state', () => {
    expect(digestOf({ b: [1, 2], a: 'x' })).toBe(digestOf({ a: 'x', b: [1, 2] }))
    expect(digestOf({ a: 'x' })).not.toBe(digestOf({ a: 'y' }))
    expect(digestOf({ a: 1 })).toBe(sha256Hex('{"a":1}'))
    expect(digestOf(null)).toBeNull()
    expect(digestOf(undefined)).toBeNull()
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
