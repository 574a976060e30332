import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SESSION_HEADER, startWebHost, type WebHost } from '../../electron/host/server'
import { ADMIN_PASSWORD, createTestCore, setupAdmin, type TestCore } from '../helpers/core'

const TOKEN = 'test-token-0123456789abcdef'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so tests can send the headers a browser never would (foreign Host…). */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('web host', () => {
  let test: TestCore
  let host: WebHost

  const api = (channel: string, payload: unknown, extra: Record<string, string> = {}) =>
    send(host.port, `/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, host: `127.0.0.1:${host.port}`, ...extra },
      body: JSON.stringify(payload),
    })

  beforeEach(async () => {
    test = await createTestCore()
    await setupAdmin(test)
    const staticDir = mkdtempSync(join(tmpdir(), 'certdesk-static-'))
    mkdirSync(join(staticDir, 'assets'))
    writeFileSync(
      join(staticDir, 'index.html'),
      '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head></html>',
    )
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(test.dataDir, 'secret.txt'), 'secret')
    const webPreloadFile = join(staticDir, '..', `preload-${Date.now()}.js`)
    writeFileSync(webPreloadFile, 'window.api = {}')
    host = await startWebHost({ dispatcher: test.dispatch, staticDir, webPreloadFile, token: TOKEN, port: 0 })
  })
  afterEach(async () => {
    await host.close()
    await test.cleanup()
  })

  it('listens on loopback only and prints its address with the token', () => {
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' })
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`)
  })

  it('injects the web preload before the renderer scripts and sends the CSP', async () => {
    const reply = await send(host.port, '/')
    expect(reply.status).toBe(200)
    expect(reply.body.indexOf('/web-preload.js')).toBeGreaterThan(-1)
    expect(reply.body.indexOf('/web-preload.js')).toBeLessThan(reply.body.indexOf('/assets/app.js'))
    expect(String(reply.headers['content-security-policy'])).not.toContain('unsafe-eval')
    expect((await send(host.port, '/web-preload.js')).body).toBe('window.api = {}')
  })

  it('refuses every API call without the per-start token', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${TOKEN}x` }]
    for (const headers of attempts) {
      const reply = await send(host.port, '/api/auth.status', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      })
      expect(reply.status).toBe(401)
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    }
  })

  it('refuses a foreign Host header (DNS rebinding) and a foreign Origin', async () => {
    expect((await api('auth.status', {}, { host: 'evil.example' })).status).toBe(403)
    expect((await api('auth.status', {}, { origin: 'http://evil.example' })).status).toBe(403)
    expect((await api('auth.status', {}, { origin: `http://127.0.0.1:${host.port}` })).status).toBe(200)
  })

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt']) {
      const reply = await send(host.port, path)
      expect(reply.status).toBe(404)
      expect(reply.body).not.toContain('secret')
    }
  })

  it('carries the session in a header: login sets it, logout clears it', async () => {
    const login = await api('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
    const session = String(login.headers[SESSION_HEADER])
    expect(session.length).toBeGreaterThan(20)
    expect(JSON.parse((await api('users.list', {}, { [SESSION_HEADER]: session })).body)).toMatchObject({ ok: true })
    expect(JSON.parse((await api('users.list', {})).body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    const logout = await api('auth.logout', {}, { [SESSION_HEADER]: session })
    expect(logout.headers[SESSION_HEADER]).toBe('')
    expect(JSON.parse((await api('users.list', {}, { [SESSION_HEADER]: session })).body)).toMatchObject({ ok: false })
  })

  it('answers malformed JSON, wrong methods and oversize bodies with a clear error', async () => {
    const bad = await send(host.port, '/api/auth.status', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: '{not json',
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error.message).toContain('JSON')
    const get = await send(host.port, '/api/auth.status', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(get.status).toBe(405)
    const big = await api('auth.login', { username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) })
    expect(big.status).toBe(413)
    expect(JSON.parse(big.body).error.message).toContain('过大')
  })
})
