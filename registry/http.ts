import type { IncomingMessage, ServerResponse } from 'node:http'
import { RegistryError } from './errors'

/** What a handler answers; the server writes it, or drops it when a fault says the answer is lost. */
export interface Reply {
  status: number
  headers?: Record<string, string>
  body?: string | Buffer
}

export const FILE_LIMIT_BYTES = 20 * 1024 * 1024
export const JSON_LIMIT_BYTES = 16 * 1024 * 1024
/** Past the limit the body is read and thrown away, so the client can read the 413; beyond this, the connection is cut. */
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024

/** Thrown when the request's connection is gone: there is nobody to answer. */
export class ConnectionClosed extends Error {}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) }
}

export function errorReply(error: RegistryError): Reply {
  return jsonReply(error.status, error.toBody(), error.status === 413 ? { Connection: 'close' } : {})
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...reply.headers })
  response.end(reply.body)
}

/** Reads the whole body, refusing (413) one larger than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length
      if (size > limit + DISCARD_LIMIT_BYTES) {
        request.socket.destroy()
        throw new ConnectionClosed()
      }
      if (size <= limit) chunks.push(chunk as Buffer)
    }
  } catch (error) {
    if (error instanceof ConnectionClosed) throw error
    throw new ConnectionClosed('request aborted')
  }
  if (size > limit) throw new RegistryError('too_large', `请求内容过大（上限 ${limit / 1024 / 1024} MB）`)
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)
}

/** Parses a JSON body (400 when it is not JSON). */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new RegistryError('bad_request', '请求内容不是有效的 JSON')
  }
}
