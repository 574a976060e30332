import { z } from 'zod'
import { method } from './method'

/** One card of the dashboard: a workflow state and how many items are in it for this user. */
export interface DashboardCount {
  key: string
  count: number
}

export interface DashboardGroup {
  key: 'applications' | 'signing' | 'filing' | 'corrections' | 'revocations' | 'sync' | 'administration'
  counts: DashboardCount[]
}

/**
 * The states each workflow's dashboard card always shows (zero included), in workflow order.
 * Capabilities that land later keep these names for their stored states; any other state found
 * in the data is still counted, after these.
 */
export const WORKFLOW_STATES = {
  applications: ['submitted', 'returned', 'first_approved', 'approved', 'issued'],
  signing: ['ready', 'running', 'paused', 'waiting_token', 'waiting_pin', 'completed', 'cancelled'],
  corrections: ['submitted', 'returned', 'approved', 'applied'],
  revocations: ['submitted', 'approved', 'executed'],
  sync: ['pending', 'failed', 'delivered'],
} as const satisfies Partial<Record<DashboardGroup['key'], readonly string[]>>

export const dashboard = {
  summary: method(z.object({}).strict()).returns<DashboardGroup[]>(),
}
