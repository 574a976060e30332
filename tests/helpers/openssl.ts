import { spawnSync } from 'node:child_process'
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Debian's openssl (3.0) as an independent second opinion for the sealing tests: it makes the
 * test PKI and checks what CertDesk writes. Missing openssl fails loudly, it never skips.
 */

export const OPENSSL = process.env.CERTDESK_OPENSSL ?? '/usr/bin/openssl'

export interface OpensslResult {
  stdout: Buffer
  stderr: string
  status: number
}

export interface OpensslOptions {
  /** Written to openssl's stdin. */
  input?: Buffer
  cwd?: string
  /** Return a non-zero status instead of throwing (for tests that expect openssl to refuse). */
  allowFailure?: boolean
}

function requireOpenssl(): void {
  if (!existsSync(OPENSSL)) {
    throw new Error(`openssl not found at ${OPENSSL}: install it with bash scripts/install-system-deps.sh (Debian package openssl)`)
  }
}

/** Runs openssl synchronously; throws with its stderr when it exits non-zero, unless allowFailure. */
export function openssl(args: string[], options: OpensslOptions = {}): OpensslResult {
  requireOpenssl()
  // A fixed, empty config environment: the machine's OPENSSL_CONF must not change the results.
  const result = spawnSync(OPENSSL, args, {
    input: options.input,
    cwd: options.cwd,
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
    maxBuffer: 64 << 20,
  })
  if (result.error) throw result.error
  const outcome = { stdout: result.stdout, stderr: result.stderr.toString('utf8'), status: result.status ?? -1 }
  if (outcome.status !== 0 && !options.allowFailure) {
    throw new Error(`openssl ${args.join(' ')} exited with ${outcome.status}:\n${outcome.stderr}`)
  }
  return outcome
}

/** Key types the test PKI can make; rsa-1024 and ec-p384 exist to test refusals. */
export type TestKeyType = 'rsa-2048' | 'rsa-1024' | 'ec-p256' | 'ec-p384'

/** How to issue one end-entity certificate. Extension values use openssl's config syntax. */
export interface TestEntityOptions {
  key?: TestKeyType
  /** openssl -subj form, UTF-8 welcome, e.g. '/C=CN/O=上海市某中心/CN=电子印章'. */
  subject?: string
  notBefore?: Date
  notAfter?: Date
  /** Default 'critical,digitalSignature,nonRepudiation'; null leaves the extension out. */
  keyUsage?: string | null
  /** e.g. 'critical,timeStamping'; absent by default. */
  extendedKeyUsage?: string
  /** Default 'critical,CA:FALSE'. */
  basicConstraints?: string
  /**
   * How openssl encodes the subject's strings: 'utf8only' (default) writes UTF8String; 'default'
   * writes PrintableString, T61String (Latin-1) or BMPString, as older CAs do.
   */
  stringMask?: 'utf8only' | 'default'
}

/** A key and its certificate, as files and in memory. */
export interface TestIdentity {
  name: string
  keyPath: string
  certPath: string
  keyPem: string
  certPem: string
  certDer: Buffer
  privateKey: KeyObject
}

export interface TestPki<Name extends string = string> {
  dir: string
  ca: TestIdentity
  entities: Record<Name, TestIdentity>
  /** Issues one more certificate from the same CA. */
  issue(name: string, options?: TestEntityOptions): TestIdentity
}

export interface TestPkiOptions<Name extends string> {
  /** Default '/C=CN/O=CertDesk 测试/CN=CertDesk 测试根 CA'. */
  caSubject?: string
  /** The CA's key; RSA-2048 by default. */
  caKey?: TestKeyType
  entities?: Record<Name, TestEntityOptions>
}

const KEY_ARGS: Record<TestKeyType, string[]> = {
  'rsa-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-1024': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-pkeyopt', 'ec_param_enc:named_curve'],
  'ec-p384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-pkeyopt', 'ec_param_enc:named_curve'],
}

// `openssl ca` rather than `x509 -req`: OpenSSL 3.0's x509 cannot set an arbitrary start date.
const CA_CONFIG = `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = issued
certificate = ca.pem
private_key = ca.key
rand_serial = yes
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = yes
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = req_dn
string_mask = utf8only
utf8 = yes
[ req_dn ]
[ req_legacy_strings ]
distinguished_name = req_dn
string_mask = default
utf8 = yes
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
`

/** YYYYMMDDHHMMSSZ, the form `openssl ca -startdate/-enddate` takes. */
function opensslDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`
}

function makeKey(dir: string, name: string, type: TestKeyType): string {
  const keyPath = join(dir, `${name}.key`)
  openssl(['genpkey', ...KEY_ARGS[type], '-out', keyPath])
  return keyPath
}

function identity(name: string, keyPath: string, certPath: string): TestIdentity {
  const keyPem = readFileSync(keyPath, 'utf8')
  const certPem = readFileSync(certPath, 'utf8')
  const certDer = openssl(['x509', '-in', certPath, '-outform', 'DER']).stdout
  return { name, keyPath, certPath, keyPem, certPem, certDer, privateKey: createPrivateKey(keyPem) }
}

function extensionSection(options: TestEntityOptions): string {
  const lines = ['[ entity ]', `basicConstraints = ${options.basicConstraints ?? 'critical,CA:FALSE'}`]
  const keyUsage = options.keyUsage === undefined ? 'critical,digitalSignature,nonRepudiation' : options.keyUsage
  if (keyUsage !== null) lines.push(`keyUsage = ${keyUsage}`)
  if (options.extendedKeyUsage) lines.push(`extendedKeyUsage = ${options.extendedKeyUsage}`)
  lines.push('subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid')
  return `${lines.join('\n')}\n`
}

function issueEntity(dir: string, name: string, options: TestEntityOptions): TestIdentity {
  const keyPath = makeKey(dir, name, options.key ?? 'rsa-2048')
  const csrPath = join(dir, `${name}.csr`)
  const certPath = join(dir, `${name}.pem`)
  const extPath = join(dir, `${name}.ext`)
  writeFileSync(extPath, extensionSection(options))
  const subject = options.subject ?? `/C=CN/O=CertDesk 测试/CN=${name}`
  const section = options.stringMask === 'default' ? 'req_legacy_strings' : 'req'
  openssl(['req', '-new', '-config', 'ca.cnf', '-section', section, '-utf8', '-key', keyPath, '-subj', subject, '-out', csrPath], {
    cwd: dir,
  })
  const notBefore = options.notBefore ?? new Date(Date.now() - 3600_000)
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86400_000)
  openssl(
    [
      'ca',
      '-config',
      'ca.cnf',
      '-batch',
      '-notext',
      '-utf8',
      '-preserveDN',
      '-in',
      csrPath,
      '-out',
      certPath,
      '-startdate',
      opensslDate(notBefore),
      '-enddate',
      opensslDate(notAfter),
      '-extfile',
      extPath,
      '-extensions',
      'entity',
    ],
    { cwd: dir },
  )
  return identity(name, keyPath, certPath)
}

/**
 * A test PKI in `dir`: an RSA CA (self-signed with openssl req -x509) and the end-entity
 * certificates named in `options.entities`, each with its own key, validity and key usage.
 * `pki.issue` adds more later. Files: <name>.key, <name>.pem (PEM), and ca.key / ca.pem.
 */
export function createTestPki<Name extends string>(dir: string, options: TestPkiOptions<Name> = {}): TestPki<Name> {
  mkdirSync(join(dir, 'issued'), { recursive: true })
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG)
  writeFileSync(join(dir, 'index.txt'), '')
  const caKey = makeKey(dir, 'ca', options.caKey ?? 'rsa-2048')
  const caSubject = options.caSubject ?? '/C=CN/O=CertDesk 测试/CN=CertDesk 测试根 CA'
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-config',
      'ca.cnf',
      '-utf8',
      '-key',
      caKey,
      '-subj',
      caSubject,
      '-days',
      '3650',
      '-sha256',
      '-extensions',
      'v3_ca',
      '-out',
      'ca.pem',
    ],
    {
      cwd: dir,
    },
  )
  const ca = identity('ca', caKey, join(dir, 'ca.pem'))
  const entities = {} as Record<Name, TestIdentity>
  for (const [name, entity] of Object.entries(options.entities ?? {}) as Array<[Name, TestEntityOptions]>) {
    entities[name] = issueEntity(dir, name, entity)
  }
  return { dir, ca, entities, issue: (name, entity = {}) => issueEntity(dir, name, entity) }
}

/**
 * `openssl cms -verify` of a detached CMS (DER) over a content file, trusting `caPath`: what an
 * independent validator says of a signature. Never throws on a refusal; read `status` and `stderr`.
 */
export function opensslCmsVerify(cmsPath: string, contentPath: string, caPath: string, cwd?: string): OpensslResult {
  const args = [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    cmsPath,
    '-content',
    contentPath,
    '-CAfile',
    caPath,
    '-purpose',
    'any',
  ]
  return openssl([...args, '-out', '/dev/null'], { allowFailure: true, cwd })
}
