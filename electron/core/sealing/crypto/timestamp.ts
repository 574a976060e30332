import { createHash, randomBytes } from 'node:crypto'
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { ERROR_CODES } from '../../../contract/errors'
import { AppError } from '../../util/app-error'
import { DerError, parseDer, readBitString, readSmallInteger, Tag, type DerNode } from './der'
import { readString } from './der-text'
import { boolean, integer, nullValue, octetString, oid, sequence } from './der-writer'
import { OID } from './oids'
import { inspectTimestampToken } from './timestamp-verify'

export { verifyTimestampToken, readTstInfo, type TimestampCheck, type TstInfo } from './timestamp-verify'

/**
 * RFC 3161 client: asks a TSA to stamp a signature value (CAdES signature-time-stamp, RFC 5652
 * unsigned attribute), over HTTP(S) POST (RFC 3161 3.4).
 */

const DEFAULT_TIMEOUT_MS = 15_000
// A token is a few kilobytes; more than this is not a TSA answering.
const MAX_RESPONSE_BYTES = 1 << 20

const STATUS_TEXT: Readonly<Record<number, string>> = {
  2: '服务拒绝了请求（rejection）',
  3: '服务暂未签发（waiting）',
  4: '服务报告其证书即将被吊销（revocationWarning）',
  5: '服务报告其证书已被吊销（revocationNotification）',
}

const FAILURE_NAMES: Readonly<Record<number, string>> = {
  0: '不支持的摘要算法',
  2: '请求不被允许或不受支持',
  5: '数据格式错误',
  14: '时间源不可用',
  15: '不接受请求的策略',
  16: '不接受请求的扩展',
  17: '附加信息不可用',
  25: '系统故障',
}

function failed(reason: string): AppError {
  return new AppError('TIMESTAMP_FAILED', `${ERROR_CODES.TIMESTAMP_FAILED}：${reason}`)
}

/**
 * A TimeStampReq v1 DER: messageImprint SHA-256 of `signatureValue`, `nonce` (unsigned
 * big-endian), certReq TRUE so the token carries the TSA's certificate. The AlgorithmIdentifier
 * carries NULL parameters as openssl's own requests do, the form TSAs are most tested with.
 */
export function timestampRequest(signatureValue: Buffer, nonce: Buffer): Buffer {
  const imprint = sequence(sequence(oid(OID.sha256), nullValue()), octetString(createHash('sha256').update(signatureValue).digest()))
  return sequence(integer(1), imprint, integer(nonce), boolean(true))
}

/** Options of requestTimestamp. */
export interface TimestampOptions {
  /** The whole exchange, connection to last byte; 15 s by default. */
  timeoutMs?: number
}

/**
 * Asks the TSA at `url` (http or https) to stamp `signatureValue` and returns the TimeStampToken
 * (ContentInfo DER) once its status is granted, its nonce and imprint match the request and the
 * token verifies. Every failure is AppError TIMESTAMP_FAILED with a Chinese reason.
 */
export async function requestTimestamp(url: string, signatureValue: Buffer, options: TimestampOptions = {}): Promise<Buffer> {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw failed(`服务地址无效（${url}）`)
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw failed(`只支持 http:// 或 https:// 地址（${url}）`)
  const nonce = randomBytes(8)
  const reply = await post(target, timestampRequest(signatureValue, nonce), options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  return tokenFromReply(reply, signatureValue, nonce)
}

interface Reply {
  body: Buffer
  contentType: string
}

// node:http rather than fetch: no proxy environment leaks in, and loopback TSAs (tests) just work.
async function post(url: URL, body: Buffer, timeoutMs: number): Promise<Reply> {
  try {
    return await postOnce(url, body, timeoutMs)
  } catch (error) {
    // A kept-alive socket the TSA closed meanwhile fails with ECONNRESET: retry once on a new one.
    if (!(error instanceof StaleSocket)) throw error
    return postOnce(url, body, timeoutMs)
  }
}

class StaleSocket extends Error {}

function postOnce(url: URL, body: Buffer, timeoutMs: number): Promise<Reply> {
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    let timedOut = false
    const fail = (error: unknown) => {
      const code = (error as NodeJS.ErrnoException | null)?.code
      if (request.reusedSocket && code === 'ECONNRESET' && !timedOut) reject(new StaleSocket())
      else reject(failed(timedOut ? `${url.host} 在 ${timeoutMs / 1000} 秒内没有应答` : connectionReason(error, url)))
    }
    const request = transport.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query', 'Content-Length': body.length, Accept: 'application/timestamp-reply' },
    })
    const timer = setTimeout(() => {
      timedOut = true
      request.destroy()
    }, timeoutMs)
    request.on('close', () => clearTimeout(timer))
    request.on('error', fail)
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume()
        reject(failed(`服务返回 HTTP ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`))
        return
      }
      readBody(response).then((reply) => resolve({ body: reply, contentType: response.headers['content-type'] ?? '' }), fail)
    })
    request.end(body)
  })
}

function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    response.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_RESPONSE_BYTES) response.destroy(new Error(`应答超过 ${MAX_RESPONSE_BYTES} 字节`))
      else chunks.push(chunk)
    })
    response.on('end', () => resolve(Buffer.concat(chunks)))
    response.on('error', reject)
    response.on('aborted', () => reject(new Error('应答没有传完连接就断开了')))
  })
}

function connectionReason(error: unknown, url: URL): string {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? ''
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'ECONNREFUSED') return `无法连接 ${url.host}（连接被拒绝：服务没有启动，或地址、端口有误）`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `找不到服务器 ${url.hostname}（请检查地址与网络）`
  if (code === 'ECONNRESET') return `与 ${url.host} 的连接被中断`
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `无法连接 ${url.host}（网络不可达或连接超时）`
  if (code.startsWith('ERR_TLS') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return `与 ${url.host} 的 HTTPS 安全连接失败（${message}）`
  return `请求 ${url.host} 失败（${message}）`
}

function statusText(statusInfo: DerNode): string {
  const status = readSmallInteger(statusInfo.at(0, '状态'))
  const freeText = statusInfo.children.find((node) => node.is(Tag.sequence))
  const failInfo = statusInfo.children.find((node) => node.is(Tag.bitString))
  const parts = [STATUS_TEXT[status] ?? `服务没有签发（状态 ${status}）`]
  if (freeText) parts.push(`：${freeText.children.map(readString).join('；')}`)
  if (failInfo) {
    const { bytes } = readBitString(failInfo)
    const bits = Object.keys(FAILURE_NAMES).map(Number)
    const names = bits.filter((bit) => bit >> 3 < bytes.length && bytes[bit >> 3] & (0x80 >> (bit & 7))).map((bit) => FAILURE_NAMES[bit])
    if (names.length > 0) parts.push(`（${names.join('、')}）`)
  }
  return parts.join('')
}

/** TimeStampResp (RFC 3161 2.4.2) → the token, or the reason there is none. */
function tokenFromReply(reply: Reply, signatureValue: Buffer, nonce: Buffer): Buffer {
  let response: DerNode
  let status: number
  try {
    response = parseDer(reply.body).expect(Tag.sequence, '时间戳应答')
    const statusInfo = response.at(0, '状态信息').expect(Tag.sequence, '状态信息')
    status = readSmallInteger(statusInfo.at(0, '状态'))
    if (status !== 0 && status !== 1) throw failed(statusText(statusInfo))
  } catch (error) {
    if (error instanceof AppError) throw error
    const reason = error instanceof DerError ? error.message : String(error)
    throw failed(`应答不是有效的时间戳应答（Content-Type: ${reply.contentType || '无'}；${reason}）`)
  }
  const token = response.children[1]
  if (!token) throw failed('服务同意签发，但应答中没有时间戳')
  const { check, info } = inspectTimestampToken(token.raw, signatureValue)
  if (!check.valid || !info) throw failed(`服务给出的时间戳无效：${check.problems.join('；')}`)
  if (info.nonce !== BigInt(`0x${nonce.toString('hex')}`)) throw failed('应答的随机数（nonce）与请求不符，可能是重放的旧应答')
  return Buffer.from(token.raw)
}
