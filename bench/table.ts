/** One line of the benchmark table: what was measured, the figure, and the issue's target or baseline. */
export interface BenchRow {
  issue: string
  figure: string
  value: string
  target: string
}

export function printTable(rows: BenchRow[]): void {
  const headers: BenchRow = { issue: 'issue', figure: 'figure', value: 'measured', target: 'target / baseline' }
  const all = [headers, ...rows]
  const width = (key: keyof BenchRow) => Math.max(...all.map((row) => [...row[key]].length))
  const line = (row: BenchRow) =>
    `| ${(Object.keys(headers) as Array<keyof BenchRow>).map((key) => row[key] + ' '.repeat(width(key) - [...row[key]].length)).join(' | ')} |`
  console.log(line(headers))
  console.log(`|${(Object.keys(headers) as Array<keyof BenchRow>).map((key) => '-'.repeat(width(key) + 2)).join('|')}|`)
  for (const row of rows) console.log(line(row))
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint()
  const value = await work()
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value }
}
