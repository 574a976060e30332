import { benchApplications } from './applications'
import { benchCorrections } from './corrections'
import { benchDocuments } from './documents'
import { benchFoundation } from './foundation'
import { benchRegister } from './register'
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
  rows.push(...(await benchRegister()))
  rows.push(...(await benchCorrections()))
  printTable(rows)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
