import { DerError, readOid, Tag, TagClass, type DerNode } from './der'
import { readString } from './der-text'
import { OID } from './oids'

/**
 * X.500 Names (RFC 5280 4.1.2.4) as people read them: RFC 4514 order (most specific first) and
 * escaping, with ", " between RDNs as openssl's `-nameopt RFC2253,sep_comma_plus_space` prints.
 */

const SHORT_NAMES: Readonly<Record<string, string>> = {
  [OID.commonName]: 'CN',
  [OID.surname]: 'SN',
  [OID.serialNumber]: 'serialNumber',
  [OID.countryName]: 'C',
  [OID.localityName]: 'L',
  [OID.stateOrProvinceName]: 'ST',
  [OID.streetAddress]: 'street',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.title]: 'title',
  [OID.givenName]: 'GN',
  [OID.organizationIdentifier]: 'organizationIdentifier',
  [OID.emailAddress]: 'emailAddress',
  [OID.domainComponent]: 'DC',
  [OID.userId]: 'UID',
}

interface NameAttribute {
  type: string
  value: DerNode
}

function attributesOf(name: DerNode): NameAttribute[][] {
  name.expect(Tag.sequence, '名称（Name）')
  return name.children.map((rdn) => {
    rdn.expect(Tag.set, '名称的组成部分（RDN）')
    if (rdn.children.length === 0) throw new DerError(`名称的组成部分为空（位置 ${rdn.start}）`)
    return rdn.children.map((pair) => {
      pair.expect(Tag.sequence, '名称属性')
      return { type: readOid(pair.at(0, '名称属性类型')), value: pair.at(1, '名称属性值') }
    })
  })
}

const STRING_TAGS = new Set<number>([
  Tag.utf8String,
  Tag.printableString,
  Tag.teletexString,
  Tag.ia5String,
  Tag.visibleString,
  Tag.bmpString,
  Tag.universalString,
])

function isDirectoryString(value: DerNode): boolean {
  return value.tagClass === TagClass.universal && STRING_TAGS.has(value.tagNumber)
}

function escapeValue(text: string): string {
  const escaped = text.replace(/[\\"+,;<>]/g, (character) => `\\${character}`).replace(/\0/g, '\\00')
  return escaped.replace(/^[ #]/, (character) => `\\${character}`).replace(/ $/, '\\ ')
}

function attributeText(attribute: NameAttribute): string {
  const type = SHORT_NAMES[attribute.type] ?? attribute.type
  // RFC 4514 2.4: a value that is not a string is written as # and its DER in hex.
  const value = isDirectoryString(attribute.value) ? escapeValue(readString(attribute.value)) : `#${attribute.value.raw.toString('hex')}`
  return `${type}=${value}`
}

/** The readable form of a Name, e.g. "CN=上海市某某中心电子印章, O=上海市某某中心, C=CN". */
export function nameToString(name: DerNode): string {
  return attributesOf(name)
    .reverse()
    .map((rdn) => rdn.map(attributeText).join('+'))
    .join(', ')
}

/** The value of the most specific attribute of this type (e.g. the CN), or null when absent. */
export function nameAttribute(name: DerNode, type: string): string | null {
  const matches = attributesOf(name)
    .flat()
    .filter((attribute) => attribute.type === type && isDirectoryString(attribute.value))
  return matches.length > 0 ? readString(matches[matches.length - 1].value) : null
}
