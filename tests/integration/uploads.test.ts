import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UPLOAD_CHUNK_BYTES } from '../../electron/contract/uploads'
import type { Actor } from '../../electron/core/users/access'
import { loadActor } from '../../electron/core/users/users-repository'
import type { TestCore } from '../helpers/core'
import { call, createDemoCore, expectError, expectOk } from '../helpers/calls'
import { cloneCore, sessionFor } from '../helpers/template'

let template: TestCore
let test: TestCore
let clerk: string
let reviewer: string

beforeAll(async () => {
  template = await createDemoCore()
  test = await cloneCore(template)
  clerk = await sessionFor(test, 'clerk')
  reviewer = await sessionFor(test, 'reviewer')
})

afterAll(async () => {
  await test.cleanup()
  await template.cleanup()
})

const chunk = (bytes: Buffer) => bytes.toString('base64')

describe('uploads: files reach core in chunks, only for their owner', () => {
  it('assembles a file from in-order chunks, accepts a retried chunk once, refuses a gap', async () => {
    const bytes = Buffer.alloc(UPLOAD_CHUNK_BYTES + 1000, 7)
    const { id } = expectOk<{ id: string }>(await call(test, 'uploads.begin', { purpose: 'workbook' }, clerk))
    const first = { id, file: 'a.xlsx', offset: 0, dataBase64: chunk(bytes.subarray(0, UPLOAD_CHUNK_BYTES)) }
    expect(expectOk(await call(test, 'uploads.append', first, clerk))).toEqual({ received: UPLOAD_CHUNK_BYTES })
    // The answer was lost and the renderer sends the same chunk again: no double bytes.
    expect(expectOk(await call(test, 'uploads.append', first, clerk))).toEqual({ received: UPLOAD_CHUNK_BYTES })
    const gap = { id, file: 'a.xlsx', offset: UPLOAD_CHUNK_BYTES + 5, dataBase64: chunk(bytes.subarray(0, 10)) }
    expect(expectError(await call(test, 'uploads.append', gap, clerk), 'VALIDATION').message).toContain('位置不对')
    const last = { id, file: 'a.xlsx', offset: UPLOAD_CHUNK_BYTES, dataBase64: chunk(bytes.subarray(UPLOAD_CHUNK_BYTES)) }
    expectOk(await call(test, 'uploads.append', last, clerk))
    expect(expectOk(await call(test, 'uploads.finish', { id }, clerk))).toEqual({ id, purpose: 'workbook', files: 1, bytes: bytes.length })
    const resolved = await test.core.uploads.resolve(await actor(test, clerk), id, 'workbook')
    expect(await readFile(resolved.files[0].path)).toEqual(bytes)
    await expect(test.core.uploads.resolve(await actor(test, clerk), id, 'photos')).rejects.toThrow('用途不符')
  })

  it("hides one user's upload from another and refuses path names", async () => {
    const { id } = expectOk<{ id: string }>(await call(test, 'uploads.begin', { purpose: 'photos' }, clerk))
    const append = { id, file: 'p.jpg', offset: 0, dataBase64: chunk(Buffer.from('x')) }
    expectError(await call(test, 'uploads.append', append, reviewer), 'NOT_FOUND')
    expectError(await call(test, 'uploads.finish', { id }, reviewer), 'NOT_FOUND')
    expectError(await call(test, 'uploads.append', { ...append, file: '../../certdesk.sqlite' }, clerk), 'VALIDATION')
    expectError(await call(test, 'uploads.finish', { id }, clerk), 'VALIDATION')
    expectOk(await call(test, 'uploads.discard', { id }, clerk))
    expectError(await call(test, 'uploads.append', append, clerk), 'NOT_FOUND')
  })
})

async function actor(test: TestCore, session: string): Promise<Actor> {
  const user = await test.core.auth.me(session)
  return (await loadActor(test.core.db, user!.id))!
}
