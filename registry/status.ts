import type { Knex } from 'knex'

/** What GET /v1/status/{number} answers (components/schemas/PublicStatus). */
export interface PublicStatus {
  number: string
  status: 'valid' | 'superseded' | 'revoked'
  version: number
  codeMatches: boolean | null
  holderName: string
  family: string
  level: string | null
  issuedAt: string
  revokedAt: string | null
}

/**
 * The holder's name as the public may see it: the first and the last character kept, the middle
 * masked (王*华, 欧**华); a two-character name keeps its first (王*), a one-character name
 * shows nothing (*). Characters are counted as code points, so 𠇔 is one.
 */
export function maskName(name: string): string {
  const characters = Array.from(name.trim())
  if (characters.length <= 1) return '*'
  if (characters.length === 2) return `${characters[0]}*`
  return `${characters[0]}${'*'.repeat(characters.length - 2)}${characters[characters.length - 1]}`
}

/**
 * The public status of a certificate, or null when the number is not registered. `code` is the
 * short code of the QR code: the current version's code matches; an older version's code means
 * the printout was superseded by a correction (unless the certificate is revoked, which wins).
 */
export async function publicStatus(db: Knex, number: string, code: string | null): Promise<PublicStatus | null> {
  const current = (await db('certificates')
    .join('certificate_versions', function () {
      this.on('certificate_versions.number', '=', 'certificates.number').andOn(
        'certificate_versions.version',
        '=',
        'certificates.current_version',
      )
    })
    .leftJoin('revocations', 'revocations.number', 'certificates.number')
    .where('certificates.number', number)
    .first(
      'certificate_versions.version',
      'certificate_versions.payload',
      'certificate_versions.verification_code',
      'revocations.revoked_at',
    )) as { version: number; payload: string; verification_code: string; revoked_at: string | null } | undefined
  if (!current) return null
  const payload = JSON.parse(current.payload) as { family: string; level?: string | null; issuedAt: string; fields: { name: string } }
  const codeMatches = code === null ? null : code === current.verification_code
  let superseded = false
  if (code !== null && !codeMatches) {
    superseded = (await db('certificate_versions').where({ number, verification_code: code }).first('version')) !== undefined
  }
  return {
    number,
    status: current.revoked_at ? 'revoked' : superseded ? 'superseded' : 'valid',
    version: Number(current.version),
    codeMatches,
    holderName: maskName(String(payload.fields.name)),
    family: payload.family,
    level: payload.level ?? null,
    issuedAt: payload.issuedAt,
    revokedAt: current.revoked_at ?? null,
  }
}
