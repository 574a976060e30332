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

export const dashboard = {
  summary: method(z.object({}).strict()).returns<DashboardGroup[]>(),
}
