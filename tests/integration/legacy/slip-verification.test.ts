import { describe, expect, it } from 'vitest'
import { FileStore } from '../../../electron/core/files/file-store'
import type { TestCore } from '../../helpers/core'
import { titleRecord } from '../../helpers/legacy'
import { clonePerTest } from '../../helpers/template'
import { createLegacyCore, PDGC, slipSteps } from './slip-fixture'

let test: TestCore
clonePerTest(createLegacyCore, (clone) => {
  test = clone
})
const { actor, issue, storedFile } = slipSteps(() => test)

describe('verifying an issued slip', () => {
  it('recognises the exact file, refuses a changed one, and leads from the number to the record', async () => {
    const slip = await issue('engineering-staff', 'GC20120010')
    const bytes = await storedFile(slip.id)
    const report = await test.core.verification.verifyBytes(bytes)
    expect(report).toMatchObject({
      valid: true,
      registryStatus: 'active',
      certificateNumber: 'GC20120010',
      problems: [],
      slip: { kind: 'query_slip', number: slip.number, state: 'issued' },
    })
    expect(report.summary).toContain(`职称评审结果查询单 ${slip.number}`)

    const changed = Uint8Array.from(bytes)
    changed[changed.length - 10] ^= 0x01
    const tampered = await test.core.verification.verifyBytes(changed)
    expect(tampered).toMatchObject({ valid: false, registryStatus: 'unknown' })
    expect(tampered.slip).toBeUndefined()

    const lookup = await test.core.legacy.slips.lookup(await actor('sealer'), slip.number)
    expect(lookup).toMatchObject({
      number: slip.number,
      state: 'issued',
      registryStatus: 'active',
      certificateNumber: 'GC20120010',
      issuerName: PDGC,
      issuedOn: '2026-11-28',
      pdfHash: FileStore.hashOf(bytes),
    })
    expect(lookup.idNumberMasked).not.toBe(titleRecord(10).idNumber)
    await expect(test.core.legacy.slips.lookup(await actor('sealer'), 'CX2026999999')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('says a senior slip is not in force until it is re-checked', async () => {
    const slip = await issue('nursing-staff', 'HL20150001')
    const pending = await test.core.verification.verifyBytes(await storedFile(slip.id))
    expect(pending).toMatchObject({ valid: false, registryStatus: 'pending', slip: { state: 'pending_recheck' } })
    await test.core.legacy.slips.recheck(await actor('clerk'), slip.id, 'confirm', null)
    expect(await test.core.verification.verifyBytes(await storedFile(slip.id))).toMatchObject({ valid: true, registryStatus: 'active' })
  })
})
