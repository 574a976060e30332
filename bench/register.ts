import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RegisterSearchSchema } from '../electron/contract/register'
import { createDispatcher, type Dispatcher } from '../electron/core/api/dispatch'
import { openCore, type Core } from '../electron/core/app'
import { pageIdsQuery } from '../electron/core/certificates/register-search'
import { loadActor } from '../electron/core/users/users-repository'
import { fillRegister, type RegisterFixture } from './register-fill'
import { timed, type BenchRow } from './table'

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : Math.round(value)} ms`

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * share) - 1)]
}

/** Each payload once through the dispatcher (validation, session, role, scope, query), in milliseconds. */
async function callTimes(dispatch: Dispatcher, sessionId: string, channel: string, payloads: unknown[]): Promise<number[]> {
  const times: number[] = []
  for (const payload of payloads) {
    const { ms: elapsed, value } = await timed(() => dispatch({ channel, payload, sessionId }))
    if (!value.result.ok) throw new Error(`${channel} failed: ${value.result.error.message}`)
    times.push(elapsed)
  }
  return times
}

/** The filtered pages: one organisation, family and level, a two-year period starting each year, page 1 and 2. */
function filteredPages(fixture: RegisterFixture): unknown[] {
  const filter = { organisationId: fixture.organisationId, family: fixture.family, level: fixture.level }
  return Array.from({ length: 15 }, (_, index) => ({ ...filter, issuedFrom: `${2010 + index}-01-01`, issuedTo: `${2011 + index}-12-31` }))
}

/** Refuses to report figures from a plan that does not use the index it is meant to. */
async function assertPlan(core: Core, fixture: RegisterFixture, clerkId: number): Promise<void> {
  const actor = (await loadActor(core.db, clerkId))!
  const search = RegisterSearchSchema.parse(filteredPages(fixture)[0])
  const plan = (await core.db.raw(`EXPLAIN QUERY PLAN ${pageIdsQuery(core.db, actor, search).toString()}`)) as Array<{ detail: string }>
  const text = plan.map((step) => step.detail).join(' ; ')
  if (!text.includes('COVERING INDEX certificates_register_scope_index')) throw new Error(`unexpected plan for the filtered page: ${text}`)
}

async function sessionOf(core: Core, username: string): Promise<{ id: number; session: string }> {
  const row = (await core.db('users').where({ username }).first('id')) as { id: number }
  return { id: row.id, session: await core.auth.sessions.create(row.id) }
}

/**
 * Issue 6: with 1,000,000 certificates, p95 of 1,000 lookups by number and by ID number (< 5 ms)
 * and a filtered register page (< 200 ms), through the dispatcher as the app calls them; beside
 * the 证书查询 search the register replaces (number or a name LIKE '%…%') on the same rows.
 */
export async function benchRegister(count = 1_000_000): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'certdesk-bench-register-'))
  const core = await openCore({ dataDir, durable: false })
  try {
    const fill = await timed(() => fillRegister(core, count))
    const fixture = fill.value
    const dispatch = createDispatcher(core)
    const clerk = await sessionOf(core, 'clerk')
    const reviewer = await sessionOf(core, 'reviewer')
    await assertPlan(core, fixture, clerk.id)
    const search = (payloads: unknown[], session = clerk.session) => callTimes(dispatch, session, 'certificates.search', payloads)
    // The first calls of a fresh process pay for JIT compilation and a cold page cache (about 5 ms at
    // p95 here, against about 1.3 ms after): warm the path with numbers nobody holds, so the rows
    // measured below are not the ones warmed.
    await search(fixture.numbers.slice(0, 200).map((number) => ({ number: `2099${number.slice(4)}` })))
    const byNumber = await search(fixture.numbers.map((number) => ({ number })))
    const byId = await search(fixture.idNumbers.map((idNumber) => ({ idNumber })))
    const detail = await callTimes(
      dispatch,
      clerk.session,
      'certificates.detail',
      fixture.numbers.slice(0, 200).map((number) => ({ number })),
    )
    const pages = await search(filteredPages(fixture))
    const department = await search(
      Array.from({ length: 10 }, () => ({})),
      reviewer.session,
    )
    // No index helps a level nobody has: the whole table is read in id order, the register's worst case.
    const worst = await search(Array.from({ length: 5 }, () => ({ level: '无此级别' })))
    const baseline = await callTimes(
      dispatch,
      clerk.session,
      'certificates.list',
      fixture.numbers.slice(0, 20).map((number) => ({ search: number, limit: 50 })),
    )
    const label = `${(count / 1e6).toLocaleString('en')}M`
    return [
      {
        issue: '#6',
        figure: `register: fill ${count.toLocaleString('en')} certificates (one insert … select)`,
        value: `${(fill.ms / 1000).toFixed(1)} s`,
        target: 'seconds',
      },
      {
        issue: '#6',
        figure: `register: lookup by number, p95 of ${byNumber.length} (${label} certificates, after 200 warm-up calls)`,
        value: ms(percentile(byNumber, 0.95)),
        target: '< 5 ms',
      },
      { issue: '#6', figure: `register: lookup by ID number, p95 of ${byId.length}`, value: ms(percentile(byId, 0.95)), target: '< 5 ms' },
      {
        issue: '#6',
        figure: 'register: old 证书查询 search (number or name LIKE), p95 of 20, same rows',
        value: ms(percentile(baseline, 0.95)),
        target: 'baseline',
      },
      {
        issue: '#6',
        figure: 'register: page by organisation + family + level + period, worst of 15',
        value: ms(Math.max(...pages)),
        target: '< 200 ms',
      },
      {
        issue: '#6',
        figure: "register: a department reviewer's first page (its bodies only), worst of 10",
        value: ms(Math.max(...department)),
        target: '< 200 ms',
      },
      {
        issue: '#6',
        figure: 'register: filter no index serves (whole table in id order), worst of 5',
        value: ms(Math.max(...worst)),
        target: '< 200 ms',
      },
      {
        issue: '#6',
        figure: 'register: certificate detail (versions, seals, records), p95 of 200',
        value: ms(percentile(detail, 0.95)),
        target: '—',
      },
    ]
  } finally {
    await core.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
