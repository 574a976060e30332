import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CertificateDetail, HistoryPage, RegisterPage } from '../../electron/contract/register'
import { actorOf } from '../helpers/batches'
import { call, createDemoCore, expectOk } from '../helpers/calls'
import type { TestCore } from '../helpers/core'
import { evidencePdf, uploadFiles } from '../helpers/register-fixtures'
import { sessionFor } from '../helpers/template'

const NURSE = '2025WSHL00001'

let test: TestCore
const sessions: Record<string, string> = {}

/**
 * A revocation through its own services (recorded by the health department, approved by the
 * bureau, executed by the institute): what the register then says of the certificate.
 */
beforeAll(async () => {
  test = await createDemoCore()
  for (const username of ['reviewer', 'bureau-reviewer', 'clerk']) sessions[username] = await sessionFor(test, username)
  const reviewer = await actorOf(test.core, 'reviewer')
  const document = await uploadFiles(test.core, reviewer, 'notice', [{ name: '注销决定.pdf', bytes: await evidencePdf('revocation') }])
  const recorded = expectOk<{ id: number }>(
    await call(
      test,
      'revocations.record',
      {
        list: { kind: 'text', text: NURSE },
        documentNumber: '沪卫人〔2026〕12号',
        documentDate: '2026-11-20',
        document,
        reason: 'violation',
      },
      sessions.reviewer,
    ),
  )
  expectOk(await call(test, 'revocations.approve', { id: recorded.id }, sessions['bureau-reviewer']))
  expectOk(await call(test, 'revocations.execute', { id: recorded.id }, sessions.clerk))
})

afterAll(() => test.cleanup())

describe('the register after a revocation', () => {
  it('shows the certificate revoked, never deleted, with the revocation and its steps in the history', async () => {
    const page = expectOk<RegisterPage>(await call(test, 'certificates.search', { status: 'revoked' }, sessions.reviewer))
    expect(page.items.map((item) => [item.number, item.status])).toEqual([[NURSE, 'revoked']])
    const detail = expectOk<CertificateDetail>(await call(test, 'certificates.detail', { number: NURSE }, sessions.reviewer))
    expect(detail.certificate.status).toBe('revoked')
    // The version itself is untouched: revocation changes the certificate's standing, not its content.
    expect(detail.versions.map((version) => version.status)).toEqual(['active'])
    expect(detail.revocations).toEqual([
      expect.objectContaining({
        state: 'executed',
        documentNumber: '沪卫人〔2026〕12号',
        documentDate: '2026-11-20',
        reasonKind: 'violation',
        approvedAt: expect.any(String),
        executedAt: expect.any(String),
      }),
    ])
    const history = expectOk<HistoryPage>(await call(test, 'certificates.history', { number: NURSE }, sessions.clerk))
    const steps = history.entries.map((entry) => `${entry.source}:${entry.action}`)
    expect(steps).toEqual(
      expect.arrayContaining(['certificate:certificate.revoke', 'revocation:revocation.approve', 'certificate:certificate.create']),
    )
    expect(steps[steps.length - 1]).toBe('certificate:certificate.create')
    expect(history.entries.filter((entry) => entry.source === 'revocation').length).toBeGreaterThanOrEqual(3)
  })
})
