import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { opensslCmsVerify } from './openssl'

/** One signature as poppler's pdfsig reports it. */
export interface PdfsigSignature {
  field: string
  valid: boolean
  totalDocumentSigned: boolean
  type: string
  commonName: string
}

/** Runs pdfsig (poppler) on the bytes and reads its report; pdfsig knows nothing of this app. */
export function pdfsig(bytes: Uint8Array): PdfsigSignature[] {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-pdfsig-'))
  try {
    const file = join(dir, 'signed.pdf')
    writeFileSync(file, bytes)
    const result = spawnSync('pdfsig', [file], { encoding: 'utf8' })
    if (result.error) throw new Error(`pdfsig could not run (Debian package poppler-utils): ${result.error.message}`)
    return result.stdout
      .split(/^Signature #\d+:$/m)
      .slice(1)
      .map((block) => ({
        field: /Signature Field Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
        valid: /Signature Validation: Signature is Valid\./.test(block),
        totalDocumentSigned: /^\s*- Total document signed/m.test(block),
        type: /Signature Type: (.*)/.exec(block)?.[1]?.trim() ?? '',
        commonName: /Signer Certificate Common Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
      }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Each signature's CMS (zero padding dropped) and the bytes its ByteRange covers, read naively from the file. */
export function extractSignatures(bytes: Uint8Array): Array<{ cms: Buffer; content: Buffer }> {
  const text = Buffer.from(bytes).toString('latin1')
  const found: Array<{ cms: Buffer; content: Buffer }> = []
  for (const match of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const [a, b, c, d] = match.slice(1).map(Number)
    const hex = text.slice(a + b + 1, c - 1)
    const der = Buffer.from(hex, 'hex')
    // DER length of the outer SEQUENCE (long form), to drop the zero padding.
    const lengthBytes = der[1] & 0x7f
    const length = der[1] < 0x80 ? der[1] : der.subarray(2, 2 + lengthBytes).reduce((sum, byte) => sum * 256 + byte, 0)
    const total = der[1] < 0x80 ? 2 + length : 2 + lengthBytes + length
    found.push({
      cms: der.subarray(0, total),
      content: Buffer.concat([Buffer.from(bytes.subarray(a, a + b)), Buffer.from(bytes.subarray(c, c + d))]),
    })
  }
  return found
}

/** `openssl cms -verify` of every signature in the file against the CA; returns how many verified. */
export function opensslVerifyAll(bytes: Uint8Array, caPath: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-cms-'))
  try {
    const signatures = extractSignatures(bytes)
    signatures.forEach(({ cms, content }, index) => {
      writeFileSync(join(dir, `sig${index}.der`), cms)
      writeFileSync(join(dir, `content${index}.bin`), content)
      const result = opensslCmsVerify(`sig${index}.der`, `content${index}.bin`, caPath, dir)
      expect(result.stderr, `openssl cms -verify of signature ${index + 1}`).toContain('Verification successful')
    })
    return signatures.length
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
