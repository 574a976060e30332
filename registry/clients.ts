import { createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Knex } from 'knex'
import { SIGNATURE_HEADERS, signatureProblem } from '../electron/core/registry/request-signature'
import { RegistryError } from './errors'

/** The client a signed request came from. `*` is the bureau's installation, which acts for every organisation. */
export interface Caller {
  clientId: string
  organisationCode: string
}

interface ClientRecord extends Caller {
  /** Loaded once per client: parsing the PEM at every request cost more than the signature check. */
  publicKey: KeyObject
  active: boolean
}

/** Whether the caller may act on (or see) data of the organisation `code`. */
export function mayActFor(caller: Caller, code: string): boolean {
  return caller.organisationCode === '*' || caller.organisationCode === code
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name]
  return typeof value === 'string' && value.length > 0 ? value : null
}

/** The registered clients, cached in memory (every signed request needs its client's key). */
export class ClientDirectory {
  // Only known clients are cached: unknown ids would let anyone grow the map.
  private readonly cache = new Map<string, ClientRecord>()

  constructor(private readonly db: Knex) {}

  private async find(clientId: string): Promise<ClientRecord | null> {
    const cached = this.cache.get(clientId)
    if (cached) return cached
    const row = (await this.db('clients').where({ client_id: clientId }).first()) as
      { client_id: string; organisation_code: string; public_key_pem: string; active: number | boolean } | undefined
    const record = row
      ? {
          clientId: row.client_id,
          organisationCode: row.organisation_code,
          publicKey: createPublicKey(row.public_key_pem),
          active: Boolean(row.active),
        }
      : null
    if (record) this.cache.set(clientId, record)
    return record
  }

  /** Registers a client or replaces its organisation, key and state; true when it was new. */
  async register(
    input: { clientId: string; organisationCode: string; publicKeyPem: string; active?: boolean },
    now: Date,
  ): Promise<boolean> {
    let key
    try {
      key = createPublicKey(input.publicKeyPem)
    } catch {
      throw new RegistryError('invalid', '公钥不是有效的 PEM')
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new RegistryError('invalid', '公钥必须是 Ed25519 公钥')
    const at = now.toISOString()
    const existing = await this.db('clients').where({ client_id: input.clientId }).first('client_id')
    await this.db('clients')
      .insert({
        client_id: input.clientId,
        organisation_code: input.organisationCode,
        public_key_pem: input.publicKeyPem,
        active: input.active ?? true,
        created_at: at,
        updated_at: at,
      })
      .onConflict('client_id')
      .merge(['organisation_code', 'public_key_pem', 'active', 'updated_at'])
    this.cache.delete(input.clientId)
    return !existing
  }

  /**
   * The first half of authentication, before the body is read: the three headers are there and
   * name an active client. Answers 401 otherwise, so an unknown caller costs no upload.
   */
  async identify(request: IncomingMessage): Promise<ClientRecord> {
    const clientId = header(request, SIGNATURE_HEADERS.client)
    if (!clientId || !header(request, SIGNATURE_HEADERS.timestamp) || !header(request, SIGNATURE_HEADERS.signature)) {
      throw new RegistryError('unauthorized', '缺少签名请求头（X-CertDesk-Client、X-CertDesk-Timestamp、X-CertDesk-Signature）')
    }
    const client = clientId.length <= 64 ? await this.find(clientId) : null
    if (!client) throw new RegistryError('unauthorized', '未登记的客户端')
    if (!client.active) throw new RegistryError('unauthorized', '该客户端已停用')
    return client
  }

  /** The second half: the signature over method, path and query, timestamp and body holds. */
  verify(client: ClientRecord, request: IncomingMessage, body: Buffer, now: Date): Caller {
    const problem = signatureProblem(
      client.publicKey,
      {
        method: request.method ?? 'GET',
        pathAndQuery: request.url ?? '/',
        body,
        timestamp: header(request, SIGNATURE_HEADERS.timestamp) ?? '',
        signature: header(request, SIGNATURE_HEADERS.signature) ?? '',
      },
      now,
    )
    if (problem) throw new RegistryError('unauthorized', problem)
    return { clientId: client.clientId, organisationCode: client.organisationCode }
  }
}

/** Checks `Authorization: Bearer <admin token>` in constant time. */
export function isAdmin(request: IncomingMessage, adminToken: string): boolean {
  const authorization = request.headers.authorization ?? ''
  const given = Buffer.from(authorization.startsWith('Bearer ') ? authorization.slice(7) : '')
  const expected = Buffer.from(adminToken)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
