import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { sha256Hex } from '../util/canonical'

/** The headers of a signed registry request (registry/openapi.yaml, "Authentication"). */
export const SIGNATURE_HEADERS = {
  client: 'x-certdesk-client',
  timestamp: 'x-certdesk-timestamp',
  signature: 'x-certdesk-signature',
} as const

/** How far a request's timestamp may be from the registry's clock. */
export const MAX_SKEW_MS = 300_000

/** The string an Ed25519 signature covers: method, path and query, timestamp, SHA-256 of the body. */
export function signedString(method: string, pathAndQuery: string, timestamp: string, body: Uint8Array | string): string {
  return `${method.toUpperCase()}\n${pathAndQuery}\n${timestamp}\n${sha256Hex(body)}`
}

/** The three headers for a request, signed with the installation's private key. */
export function signRequest(
  key: KeyObject,
  clientId: string,
  request: { method: string; pathAndQuery: string; body: Uint8Array | string },
  now: Date,
): Record<string, string> {
  const timestamp = now.toISOString()
  const signature = sign(null, Buffer.from(signedString(request.method, request.pathAndQuery, timestamp, request.body)), key)
  return {
    [SIGNATURE_HEADERS.client]: clientId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.signature]: signature.toString('base64'),
  }
}

/** Why a request's signature does not hold, or null when it does. The key as PEM, or already loaded (a registry caches it). */
export function signatureProblem(
  publicKey: string | KeyObject,
  request: { method: string; pathAndQuery: string; body: Uint8Array | string; timestamp: string; signature: string },
  now: Date,
): string | null {
  const at = Date.parse(request.timestamp)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(request.timestamp) || Number.isNaN(at)) return '请求时间格式错误'
  if (Math.abs(now.getTime() - at) > MAX_SKEW_MS) return '请求时间与服务器时间相差超过 5 分钟'
  let key: KeyObject
  try {
    key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
  } catch {
    return '客户端公钥无效'
  }
  const data = Buffer.from(signedString(request.method, request.pathAndQuery, request.timestamp, request.body))
  const signature = Buffer.from(request.signature, 'base64')
  return signature.length === 64 && verify(null, data, key, signature) ? null : '请求签名无效'
}
