import { DerError, parseDer, readBitString, readBoolean, readOctetString, readOid, Tag, type DerNode } from './der'
import { OID } from './oids'

/** KeyUsage bit names, indexed by bit number (RFC 5280 4.2.1.3). */
export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const

/** One KeyUsage bit by its RFC 5280 name. */
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number]

/** What SealCertificate takes from the extensions. */
export interface CertificateExtensions {
  keyUsage: KeyUsageName[] | null
  extendedKeyUsage: string[] | null
  isCa: boolean
  subjectKeyIdentifier: string | null
  authorityKeyIdentifier: string | null
}

/**
 * The extnValue of each extension by OID; a repeated extension is malformed (RFC 5280 4.2).
 * Values stay unparsed: only the few read here need to be valid DER.
 */
function extensionValues(extensions: DerNode): Map<string, Buffer> {
  const values = new Map<string, Buffer>()
  for (const extension of extensions.expect(Tag.sequence, '扩展').children) {
    extension.expect(Tag.sequence, '扩展项')
    const type = readOid(extension.at(0, '扩展标识'))
    // critical BOOLEAN DEFAULT FALSE sits between the OID and the value when present.
    const hasCritical = extension.children.length === 3
    if (hasCritical) readBoolean(extension.at(1, '扩展的关键性'))
    const value = readOctetString(extension.at(hasCritical ? 2 : 1, '扩展值'))
    if (values.has(type)) throw new DerError(`扩展 ${type} 重复出现`)
    values.set(type, value)
  }
  return values
}

function keyUsageOf(value: DerNode): KeyUsageName[] {
  const { bytes } = readBitString(value)
  return KEY_USAGE_NAMES.filter((_name, bit) => bit >> 3 < bytes.length && (bytes[bit >> 3] & (0x80 >> (bit & 7))) !== 0)
}

function isCaOf(value: DerNode): boolean {
  value.expect(Tag.sequence, '基本约束')
  const first = value.children[0]
  return first?.is(Tag.boolean) ? readBoolean(first) : false
}

function authorityKeyIdentifierOf(value: DerNode): string | null {
  value.expect(Tag.sequence, '颁发机构密钥标识')
  const keyIdentifier = value.children.find((child) => child.isContext(0) && !child.constructed)
  return keyIdentifier ? keyIdentifier.content.toString('hex') : null
}

/** Reads the extensions SEQUENCE of a TBSCertificate (null: a certificate without extensions). */
export function readExtensions(extensions: DerNode | null): CertificateExtensions {
  const values = extensions ? extensionValues(extensions) : new Map<string, Buffer>()
  const parsed = (type: string) => {
    const value = values.get(type)
    return value ? parseDer(value) : null
  }
  const keyUsage = parsed(OID.keyUsage)
  const extendedKeyUsage = parsed(OID.extendedKeyUsage)
  const basicConstraints = parsed(OID.basicConstraints)
  const subjectKeyIdentifier = parsed(OID.subjectKeyIdentifier)
  const authorityKeyIdentifier = parsed(OID.authorityKeyIdentifier)
  return {
    keyUsage: keyUsage ? keyUsageOf(keyUsage) : null,
    extendedKeyUsage: extendedKeyUsage ? extendedKeyUsage.expect(Tag.sequence, '扩展密钥用途').children.map(readOid) : null,
    isCa: basicConstraints ? isCaOf(basicConstraints) : false,
    subjectKeyIdentifier: subjectKeyIdentifier ? readOctetString(subjectKeyIdentifier).toString('hex') : null,
    authorityKeyIdentifier: authorityKeyIdentifier ? authorityKeyIdentifierOf(authorityKeyIdentifier) : null,
  }
}
