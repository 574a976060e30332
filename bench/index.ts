import { benchApplications } from './applications'
import { benchDocuments } from './documents'
import { benchFoundation } from './foundation'
import { benchSealing } from './sealing'
import { benchSync } from './sync'
import { printTable, type BenchRow } from './table'

/** `npm run bench`: every issue's figures in one table, measured in the same run. */
async function main(): Promise<void> {
  const rows: BenchRow[] = []
  rows.push(...(await benchFoundation()))
  rows.push(...(await benchDocuments()))
  rows.push(...(await benchApplications()))
  rows.push(...(await benchSealing()))
  rows.push(...(await benchSync()))
  printTable(rows)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
