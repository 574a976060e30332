import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { derChildren, derElement, derRead } from '../../electron/core/sealing/pkcs11/der'
import { openssl, type TestPki } from './openssl'

/**
 * Certificates for keys that live on a token: the private key never leaves it, so openssl is
 * given the public key alone (`x509 -req -force_pubkey`) and the test PKI's CA signs.
 */

export interface TokenCertificateOptions {
  /** The on-token key's SubjectPublicKeyInfo (generateKeyPair's spkiDer). */
  spkiDer: Buffer
  /** openssl -subj form, UTF-8 welcome; default '/C=CN/O=CertDesk 测试/CN=<name>'. */
  subject?: string
  /**
   * A validity window of one's own (expired, not yet valid). OpenSSL 3.0's x509 can only start
   * "now": the certificate is then re-dated and re-signed with the CA key by node:crypto.
   */
  notBefore?: Date
  notAfter?: Date
  /** Default 'critical,digitalSignature,nonRepudiation'; null leaves the extension out. */
  keyUsage?: string | null
  extendedKeyUsage?: string
}

export interface TokenCertificate {
  der: Buffer
  pem: string
  path: string
}

function extensions(options: TokenCertificateOptions): string {
  const lines = ['[ entity ]', 'basicConstraints = critical,CA:FALSE', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid']
  const keyUsage = options.keyUsage === undefined ? 'critical,digitalSignature,nonRepudiation' : options.keyUsage
  if (keyUsage !== null) lines.push(`keyUsage = ${keyUsage}`)
  if (options.extendedKeyUsage) lines.push(`extendedKeyUsage = ${options.extendedKeyUsage}`)
  return `${lines.join('\n')}\n`
}

/** X.509 Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function x509Time(date: Date): Buffer {
  const text = date.toISOString().slice(0, 19).replace(/[-:T]/g, '')
  return date.getUTCFullYear() < 2050 ? derElement(0x17, Buffer.from(`${text.slice(2)}Z`)) : derElement(0x18, Buffer.from(`${text}Z`))
}

/** The same certificate with another validity, signed again by the CA (same algorithm, same key). */
function redate(der: Buffer, notBefore: Date, notAfter: Date, caKeyPem: string): Buffer {
  const [tbs, algorithm] = derChildren(der, derRead(der, 0))
  const fields = derChildren(der, tbs).map((field) => der.subarray(field.offset, field.end))
  // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, …
  fields[fields[0][0] === 0xa0 ? 4 : 3] = derElement(0x30, x509Time(notBefore), x509Time(notAfter))
  const newTbs = derElement(0x30, ...fields)
  const signature = sign('sha256', newTbs, createPrivateKey(caKeyPem))
  return derElement(0x30, newTbs, der.subarray(algorithm.offset, algorithm.end), derElement(0x03, Buffer.from([0]), signature))
}

/**
 * Issues a certificate from `pki`'s CA for the on-token key `options.spkiDer`. The request is
 * made (and self-signed) with a throwaway software key, as openssl insists on one; -force_pubkey
 * then puts the token's key in the certificate.
 */
export function issueTokenCertificate(pki: TestPki, name: string, options: TokenCertificateOptions): TokenCertificate {
  const dir = pki.dir
  const publicKeyPath = join(dir, `${name}.token-pub.pem`)
  writeFileSync(
    publicKeyPath,
    createPublicKey({ key: options.spkiDer, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }),
  )
  writeFileSync(join(dir, `${name}.ext`), extensions(options))
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.throwaway.key`], { cwd: dir })
  const subject = options.subject ?? `/C=CN/O=CertDesk 测试/CN=${name}`
  openssl(['req', '-new', '-config', 'ca.cnf', '-utf8', '-key', `${name}.throwaway.key`, '-subj', subject, '-out', `${name}.csr`], {
    cwd: dir,
  })
  const serial = `0x${randomBytes(16).toString('hex').replace(/^./, '4')}`
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-force_pubkey',
      publicKeyPath,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      serial,
      '-days',
      '365',
    ].concat(['-sha256', '-extfile', `${name}.ext`, '-extensions', 'entity', '-outform', 'DER', '-out', `${name}.der`]),
    { cwd: dir },
  )
  let der: Buffer = readFileSync(join(dir, `${name}.der`))
  if (options.notBefore || options.notAfter) {
    const notBefore = options.notBefore ?? new Date(Date.now() - 3600_000)
    const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86400_000)
    der = redate(der, notBefore, notAfter, pki.ca.keyPem)
  }
  const path = join(dir, `${name}.pem`)
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`
  writeFileSync(path, pem)
  return { der, pem, path }
}
