import { z } from 'zod'
import { method } from './method'

export interface AuditEntry {
  id: number
  at: string
  actorId: number | null
  actorName: string
  action: string
  objectType: string
  objectId: string | null
  beforeDigest: string | null
  afterDigest: string | null
  details: Record<string, unknown>
  prevHash: string
  hash: string
}

export interface AuditVerification {
  ok: boolean
  count: number
  headHash: string
  /** The first entry that does not chain, with the reason in Chinese. */
  firstBroken: { id: number; reason: string } | null
}

export const audit = {
  list: method(
    z
      .object({
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
        action: z.string().max(64).optional(),
        objectType: z.string().max(64).optional(),
      })
      .strict(),
  ).returns<AuditEntry[]>(),
  verify: method(z.object({}).strict()).returns<AuditVerification>(),
}
