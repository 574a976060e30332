import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { ecdsaDerToRaw, ecdsaRawToDer, issueCertificate } from '../../electron/core/sealing/crypto/certificate-builder'
import { assembleSignedData, signedAttributesFor } from '../../electron/core/sealing/crypto/cms'
import { verifySignedData } from '../../electron/core/sealing/crypto/cms-verify'
import {
  DerError,
  elementEnd,
  MAX_DEPTH,
  parseDer,
  readBigInteger,
  readBitString,
  readOid,
  Tag,
  TagClass,
} from '../../electron/core/sealing/crypto/der'
import { readString, readTime } from '../../electron/core/sealing/crypto/der-text'
import {
  bitString,
  boolean,
  contextExplicit,
  contextImplicit,
  generalizedTime,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  printableString,
  raw,
  sequence,
  set,
  setOf,
  tlv,
  utcTime,
  utf8String,
  x509Time,
} from '../../electron/core/sealing/crypto/der-writer'
import { parseCertificate, type SealCertificate } from '../../electron/core/sealing/crypto/x509'
import { seededRandom } from '../helpers/random'

const hex = (buffer: Buffer) => buffer.toString('hex')

describe('DER writer and reader', () => {
  it('round-trips a nested structure, keeping the exact offsets and bytes of every element', () => {
    const inner = sequence(integer(5), utf8String('上海市电子印章'), nullValue())
    const tagged = contextExplicit(0, octetString(Buffer.from('abc')))
    const implicit = contextImplicit(1, set(boolean(true)))
    const encoded = sequence(oid('1.2.840.113549.1.7.2'), inner, tagged, implicit, bitString(Buffer.from([0xaa]), 1))
    const root = parseDer(encoded)
    expect(root.is(Tag.sequence)).toBe(true)
    expect(root.constructed).toBe(true)
    expect(root.children.map((child) => [child.tagClass, child.tagNumber, child.constructed])).toEqual([
      [TagClass.universal, Tag.oid, false],
      [TagClass.universal, Tag.sequence, true],
      [TagClass.context, 0, true],
      [TagClass.context, 1, true],
      [TagClass.universal, Tag.bitString, false],
    ])
    expect(readOid(root.children[0])).toBe('1.2.840.113549.1.7.2')
    expect(root.children[1].raw).toEqual(inner)
    expect(root.children[2].raw).toEqual(tagged)
    expect(readString(root.children[1].children[1])).toBe('上海市电子印章')
    expect(root.children[3].children[0].content).toEqual(Buffer.from([0xff]))
    expect(readBitString(root.children[4])).toEqual({ unusedBits: 1, bytes: Buffer.from([0xaa]) })
    expect(root.children[1].start).toBe(encoded.indexOf(inner))
    expect(root.children[1].end - root.children[1].contentStart).toBe(inner.length - 2)
  })

  it('encodes lengths in short and long form', () => {
    for (const length of [0, 127, 128, 255, 256, 65535, 65536, 100_000]) {
      const element = octetString(Buffer.alloc(length, 7))
      const node = parseDer(element)
      expect(node.content.length).toBe(length)
      expect(elementEnd(element)).toBe(element.length)
    }
    expect(hex(octetString(Buffer.alloc(128)).subarray(0, 3))).toBe('048180')
    expect(hex(octetString(Buffer.alloc(256)).subarray(0, 4))).toBe('04820100')
  })

  it('encodes OIDs, including a large first-arc-2 value and a 128-bit arc', () => {
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b')
    expect(hex(oid('2.999.3'))).toBe('0603883703')
    const uuid = '2.25.329800735698586629295641978511506172918'
    expect(readOid(parseDer(oid(uuid)))).toBe(uuid)
    expect(readOid(parseDer(oid('0.9.2342.19200300.100.1.25')))).toBe('0.9.2342.19200300.100.1.25')
    expect(() => oid('3.1')).toThrow(DerError)
    expect(() => oid('1.40')).toThrow(DerError)
  })

  it('writes INTEGERs in their minimal form', () => {
    expect(hex(integer(Buffer.from([0, 0, 0x7f])))).toBe('02017f')
    expect(hex(integer(Buffer.from([0x80])))).toBe('02020080')
    expect(hex(integer(Buffer.from([0, 0, 0x80, 1])))).toBe('0203008001')
    expect(hex(integer(Buffer.alloc(0)))).toBe('020100')
    expect(hex(integer(Buffer.from([0, 0])))).toBe('020100')
    const numbers: Array<[number, string]> = [
      [0, '020100'],
      [127, '02017f'],
      [128, '02020080'],
      [256, '02020100'],
      [-1, '0201ff'],
      [-128, '020180'],
      [-129, '0202ff7f'],
      [2 ** 40, '0206010000000000'],
    ]
    for (const [value, expected] of numbers) {
      expect(hex(integer(value))).toBe(expected)
      expect(readBigInteger(parseDer(integer(value)))).toBe(BigInt(value))
    }
    expect(() => integer(0.5)).toThrow(DerError)
  })

  it('sorts SET OF members in DER order and keeps SET members as given', () => {
    const members = [octetString(Buffer.from([0xff, 0xff])), integer(5), octetString(Buffer.from([0])), octetString(Buffer.from([0xff]))]
    expect(setOf(members).subarray(2).toString('hex')).toBe('020105' + '040100' + '0401ff' + '0402ffff')
    expect(set(...members).subarray(2)).toEqual(Buffer.concat(members))
    // The caller's array keeps its order: setOf sorts a copy.
    expect(members[0]).toEqual(octetString(Buffer.from([0xff, 0xff])))
  })

  it('writes named bit lists without trailing zero bits', () => {
    expect(hex(namedBits([0, 1]))).toBe('030206c0')
    expect(hex(namedBits([5, 6]))).toBe('03020106')
    expect(hex(namedBits([8]))).toBe('0303070080')
    expect(hex(namedBits([]))).toBe('030100')
  })

  it('writes UTCTime up to 2049 and GeneralizedTime from 2050, whole seconds, as RFC 5280 asks', () => {
    expect(utcTime(new Date('2049-12-31T23:59:59.999Z')).subarray(2).toString()).toBe('491231235959Z')
    expect(x509Time(new Date('2049-12-31T23:59:59Z'))[0]).toBe(Tag.utcTime)
    expect(x509Time(new Date('2050-01-01T00:00:00Z'))).toEqual(generalizedTime(new Date('2050-01-01T00:00:00Z')))
    expect(x509Time(new Date('2050-01-01T00:00:00Z')).subarray(2).toString()).toBe('20500101000000Z')
    expect(x509Time(new Date('1949-06-01T00:00:00Z'))[0]).toBe(Tag.generalizedTime)
    expect(() => utcTime(new Date('2050-01-01T00:00:00Z'))).toThrow(DerError)
    for (const iso of ['1950-01-01T00:00:00.000Z', '2026-12-01T08:30:15.000Z', '2049-12-31T23:59:59.000Z', '2051-02-28T12:00:00.000Z']) {
      expect(readTime(parseDer(x509Time(new Date(iso)))).toISOString()).toBe(iso)
    }
    expect(readTime(parseDer(tlv(Tag.generalizedTime, Buffer.from('20261201123456.789Z')))).toISOString()).toBe('2026-12-01T12:34:56.789Z')
    expect(readTime(parseDer(tlv(Tag.utcTime, Buffer.from('500101000000Z')))).getUTCFullYear()).toBe(1950)
    expect(() => readTime(parseDer(tlv(Tag.utcTime, Buffer.from('260231000000Z'))))).toThrow(DerError)
    expect(() => readTime(parseDer(tlv(Tag.utcTime, Buffer.from('261201000000+0800'))))).toThrow(DerError)
  })

  it('reads BMPString, TeletexString (UTF-8 or Latin-1) and refuses what PrintableString cannot hold', () => {
    expect(readString(parseDer(tlv(Tag.bmpString, Buffer.from('4e0a6d77', 'hex'))))).toBe('上海')
    expect(readString(parseDer(tlv(Tag.teletexString, Buffer.from('上海', 'utf8'))))).toBe('上海')
    expect(readString(parseDer(tlv(Tag.teletexString, Buffer.from('Soci\xe9t\xe9', 'latin1'))))).toBe('Société')
    expect(readString(parseDer(printableString('CN')))).toBe('CN')
    expect(() => printableString('中国')).toThrow(DerError)
    expect(() => printableString('a@b')).toThrow(DerError)
    expect(() => readString(parseDer(tlv(Tag.utf8String, Buffer.from([0xc3]))))).toThrow(DerError)
  })

  it('refuses malformed input with a DerError: truncated, oversize length, indefinite length, deep nesting', () => {
    const good = sequence(integer(1), octetString(Buffer.alloc(40)))
    const cases: Array<[string, Buffer]> = [
      ['empty', Buffer.alloc(0)],
      ['truncated', good.subarray(0, good.length - 1)],
      ['header only', good.subarray(0, 1)],
      ['length beyond the buffer', Buffer.from('3084 7fffffff 0201 01'.replace(/ /g, ''), 'hex')],
      ['five-octet length', Buffer.from('3085 0000000003 020101'.replace(/ /g, ''), 'hex')],
      ['indefinite length', Buffer.from('3080 020101 0000'.replace(/ /g, ''), 'hex')],
      ['trailing bytes', Buffer.concat([good, Buffer.from([0])])],
      ['child overruns parent', Buffer.from('3003 0202 0101'.replace(/ /g, ''), 'hex')],
      ['non-minimal high tag', Buffer.from('1f8001 00'.replace(/ /g, ''), 'hex')],
    ]
    for (const [name, input] of cases) expect(() => parseDer(input), name).toThrow(DerError)
    const nest = (levels: number): Buffer => (levels === 0 ? nullValue() : sequence(nest(levels - 1)))
    expect(() => parseDer(nest(MAX_DEPTH))).not.toThrow()
    expect(() => parseDer(nest(MAX_DEPTH + 1))).toThrow(/嵌套层数/)
    // Far deeper than the stack would allow if the reader recursed without a bound.
    let deep = nullValue()
    for (let level = 0; level < 2000; level += 1) deep = sequence(deep)
    expect(() => parseDer(deep)).toThrow(DerError)
    expect(() => raw(Buffer.concat([good, Buffer.from([0])]))).toThrow(DerError)
    expect(raw(good)).toBe(good)
  })

  it('converts ECDSA signatures between r‖s and DER, keeping leading zero octets', () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const message = Buffer.from('印章')
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const rawSignature = sign('sha256', message, { key: keys.privateKey, dsaEncoding: 'ieee-p1363' })
      const der = ecdsaRawToDer(rawSignature)
      expect(verify('sha256', message, { key: keys.publicKey, dsaEncoding: 'der' }, der)).toBe(true)
      expect(ecdsaDerToRaw(der)).toEqual(rawSignature)
    }
    const small = Buffer.concat([Buffer.alloc(31), Buffer.from([1]), Buffer.alloc(31), Buffer.from([0x80])])
    expect(hex(ecdsaRawToDer(small))).toBe('3007020101020200' + '80')
    expect(ecdsaDerToRaw(ecdsaRawToDer(small))).toEqual(small)
    expect(() => ecdsaRawToDer(Buffer.alloc(63))).toThrow(DerError)
    expect(() => ecdsaDerToRaw(sequence(integer(1)))).toThrow(DerError)
  })
})

describe('verifySignedData on malformed input', () => {
  const content = Buffer.from('%PDF-1.7 byte range content')
  const digest = createHash('sha256').update(content).digest()
  let cms: Buffer
  let certificate: SealCertificate

  beforeAll(async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const der = await issueCertificate({
      subject: { commonName: '单元测试电子印章', organisation: '单元测试', country: 'CN' },
      publicKey: keys.publicKey.export({ type: 'spki', format: 'der' }),
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2036-01-01T00:00:00Z'),
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      algorithm: 'ecdsa-with-SHA256',
      sign: async (tbs) => sign('sha256', tbs, keys.privateKey),
    })
    certificate = parseCertificate(der)
    const signedAttributes = signedAttributesFor({ contentDigest: digest, certificate })
    cms = assembleSignedData({ signedAttributes, signature: sign('sha256', signedAttributes, keys.privateKey), certificate })
  })

  const digestOf = () => digest

  it('accepts the intact CMS (the baseline the damaged copies are measured against)', () => {
    expect(verifySignedData(cms, digestOf)).toMatchObject({ valid: true, problems: [] })
  })

  it('returns invalid without throwing for random garbage', () => {
    const random = seededRandom(20261201)
    for (let round = 0; round < 500; round += 1) {
      const garbage = Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)))
      // Half of them look like a SEQUENCE, so the reader gets past the first octet.
      if (round % 2 === 0 && garbage.length > 2) [garbage[0], garbage[1]] = [0x30, garbage.length - 2 < 128 ? garbage.length - 2 : 0x7f]
      const check = verifySignedData(garbage, digestOf)
      expect(check.valid).toBe(false)
      expect(check.problems[0]).toMatch(/^签名数据（CMS）格式错误：/)
    }
  })

  it('returns invalid without throwing for every truncation of a real CMS', () => {
    for (let length = 0; length < cms.length; length += 1) {
      const check = verifySignedData(cms.subarray(0, length), digestOf)
      expect(check.valid, `truncated to ${length}`).toBe(false)
      expect(check.problems[0]).toMatch(/^签名数据（CMS）格式错误：/)
    }
  })

  it('never throws and never accepts a CMS with any one byte changed', () => {
    for (let offset = 0; offset < cms.length; offset += 1) {
      const damaged = Buffer.from(cms)
      damaged[offset] ^= 0x01
      const check = verifySignedData(damaged, digestOf)
      expect(check.valid, `offset ${offset}: ${check.problems.join('；')}`).toBe(false)
      expect(check.problems.length).toBeGreaterThan(0)
    }
  })

  it('reports a digest callback that throws as a problem', () => {
    const check = verifySignedData(cms, () => {
      throw new Error('文件读不出来')
    })
    expect(check.valid).toBe(false)
    expect(check.problems.join()).toContain('无法计算被签内容的摘要：文件读不出来')
  })
})
