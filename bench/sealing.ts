import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { SealingFigures } from './sealing-child'
import type { BenchRow } from './table'

const run = promisify(execFile)

/**
 * Issue 5: render + sign + verify + store on SoftHSM2 with RSA-2048, ≥ 150 certificates/s over
 * 10,000 with memory flat, beside the token's raw C_Sign rate measured in the same run; and a
 * token slowed to 10 signatures/s (the PKCS#11 shim) kept at ≥ 95 % of its own rate.
 */
export async function benchSealing(count = 10_000, slowCount = 100): Promise<BenchRow[]> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'sealing-child.ts'), String(count), String(slowCount)],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  )
  const figures = JSON.parse(stdout.trim().split('\n').pop()!) as SealingFigures
  const rss = (at: number) => (figures.rssMb[at - 1] ? `${figures.rssMb[at - 1]} MB` : '—')
  const marks = [1, Math.ceil(figures.batchCount / 2000), Math.floor(figures.batchCount / 1000)]
  return [
    {
      issue: '#5',
      figure: `render + sign + verify + store, SoftHSM2 RSA-2048 (${figures.batchCount.toLocaleString('en')} titles)`,
      value: `${Math.round(figures.batchRate)} /s`,
      target: '≥ 150 /s',
    },
    {
      issue: '#5',
      figure: "the token's raw C_Sign rate, same run (4 in flight)",
      value: `${Math.round(figures.rawSignRate)} /s`,
      target: 'baseline',
    },
    {
      issue: '#5',
      figure: 'CPU per certificate, all threads (2 cores = 13.3 ms at 150 /s)',
      value: `${figures.cpuMsPerCertificate.toFixed(1)} ms`,
      target: 'for reading the rate',
    },
    {
      issue: '#5',
      figure: `RSS after ${marks.map((mark) => `${mark}k`).join(' / ')} certificates`,
      value: marks.map(rss).join(' / '),
      target: 'flat',
    },
    {
      issue: '#5',
      figure: `token slowed to 10 signatures/s: batch of ${figures.slowCount} vs the bare slowed token`,
      value: `${figures.slowBatchRate.toFixed(2)} /s vs ${figures.slowRawRate.toFixed(2)} /s (${Math.round((figures.slowBatchRate / figures.slowRawRate) * 100)} %)`,
      target: '≥ 95 %',
    },
    {
      issue: '#5',
      figure: 'signed certificate, mean size',
      value: `${figures.meanFileKb.toFixed(1)} KB`,
      target: '—',
    },
  ]
}
