import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createTestPki, OPENSSL, type TestIdentity } from './openssl'

const run = promisify(execFile)

/**
 * A real RFC 3161 timestamp authority on 127.0.0.1: node:http in front of `openssl ts -reply`,
 * with a TSA certificate (extendedKeyUsage critical timeStamping) issued by its own test CA.
 *
 *   POST /        a granted reply (openssl ts -reply)
 *   POST /reject  a rejection built by openssl itself: that section accepts only SHA-512
 *                 imprints, so a SHA-256 request gets status rejection, failInfo badAlg
 *   POST /error   HTTP 500
 */
export interface OpensslTsa {
  /** The granting endpoint. */
  url: string
  rejectUrl: string
  errorUrl: string
  /** The CA that issued the TSA certificate (what `openssl ts -verify -CAfile` trusts). */
  caPem: string
  caPath: string
  tsa: TestIdentity
  /** How many requests reached openssl (granted or rejected). */
  requests(): number
  close(): Promise<void>
}

export interface OpensslTsaOptions {
  /** The ESS signing-certificate attribute openssl writes: sha1 → signingCertificate (v1, its default), sha256 → V2. */
  essCertIdAlgorithm?: 'sha1' | 'sha256'
}

function tsConfig(dir: string, essCertIdAlgorithm: string): string {
  const common = (digests: string) => `
dir = ${dir}
serial = ${join(dir, 'tsaserial')}
crypto_device = builtin
signer_cert = ${join(dir, 'tsa.pem')}
certs = ${join(dir, 'ca.pem')}
signer_key = ${join(dir, 'tsa.key')}
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = ${digests}
accuracy = secs:1, millisecs:500
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = ${essCertIdAlgorithm}
`
  return `[ tsa ]\ndefault_tsa = tsa_grant\n[ tsa_grant ]${common('sha256, sha384, sha512')}[ tsa_reject ]${common('sha512')}`
}

function readRequest(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

/** Starts the TSA; its PKI and the requests and replies it handles are files under `dir`. */
export async function startOpensslTsa(dir: string, options: OpensslTsaOptions = {}): Promise<OpensslTsa> {
  const pki = createTestPki(dir, {
    caSubject: '/C=CN/O=CertDesk 测试时间戳/CN=CertDesk 测试时间戳根 CA',
    entities: {
      tsa: {
        subject: '/C=CN/O=CertDesk 测试时间戳/CN=CertDesk 测试时间戳服务',
        keyUsage: 'critical,digitalSignature,nonRepudiation',
        extendedKeyUsage: 'critical,timeStamping',
      },
    },
  })
  const configPath = join(dir, 'ts.cnf')
  writeFileSync(configPath, tsConfig(dir, options.essCertIdAlgorithm ?? 'sha1'))
  writeFileSync(join(dir, 'tsaserial'), '01\n')
  mkdirSync(join(dir, 'exchanges'), { recursive: true })
  let count = 0
  // One reply at a time: openssl updates the serial file in place.
  let queue: Promise<unknown> = Promise.resolve()

  async function reply(query: Buffer, section: string): Promise<Buffer> {
    const stem = join(dir, 'exchanges', String(++count))
    writeFileSync(`${stem}.tsq`, query)
    const args = ['ts', '-reply', '-config', configPath, '-section', section, '-queryfile', `${stem}.tsq`, '-out', `${stem}.tsr`]
    await run(OPENSSL, args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } })
    return readFileSync(`${stem}.tsr`)
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const query = await readRequest(request)
    if (request.url === '/error') {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('TSA unavailable')
      return
    }
    const section = request.url === '/reject' ? 'tsa_reject' : 'tsa_grant'
    const next = queue.then(() => reply(query, section))
    queue = next.catch(() => undefined)
    const body = await next
    response.writeHead(200, { 'Content-Type': 'application/timestamp-reply', 'Content-Length': body.length }).end(body)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: `${base}/`,
    rejectUrl: `${base}/reject`,
    errorUrl: `${base}/error`,
    caPem: pki.ca.certPem,
    caPath: pki.ca.certPath,
    tsa: pki.entities.tsa,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
