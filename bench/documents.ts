import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, rgb } from 'pdf-lib'
import type { TitleCertificateFields } from '../electron/contract/certificates'
import { DocumentPool } from '../electron/core/documents/pool'
import type { TitleCertificateInput } from '../electron/core/documents/types'
import { resourcesDir } from '../electron/core/paths'
import { DEMO_CERTIFICATES } from '../db/seeds/demo'
import { timed, type BenchRow } from './table'

/** The demo's senior nursing title: realistic field lengths for every certificate of the run. */
const FIELDS = DEMO_CERTIFICATES[0].fields as TitleCertificateFields

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const GIVEN = '丽华志强建国秀英明伟静敏燕军杰磊洋勇艳娟涛超霞平刚桂英'

/** A different name per certificate, so every document has its own glyph set to subset. */
function nameFor(index: number): string {
  return SURNAMES[index % SURNAMES.length] + GIVEN[(index * 7) % GIVEN.length] + GIVEN[(index * 13 + 3) % GIVEN.length]
}

function input(index: number, photo: Uint8Array): TitleCertificateInput {
  return {
    number: `2025WSHL${String(index + 1).padStart(5, '0')}`,
    fields: { ...FIELDS, name: nameFor(index) },
    photo: { bytes: photo, type: 'jpeg' },
    verifyBaseUrl: 'https://verify.certdesk.invalid/c',
    issuer: '上海市卫生系列护理专业高级职称评审委员会',
    seals: [{ slot: 'single', organisationName: '上海市人力资源和社会保障局' }],
    issuedOn: '2025-12-26',
  }
}

/** The straightforward approach the issue names: fontkit parses and subsets the font per document, one thread. */
async function baselineDocument(fontBytes: Uint8Array, photo: Uint8Array, index: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  pdf.registerFontkit(fontkit)
  const font = await pdf.embedFont(fontBytes, { subset: true })
  const page = pdf.addPage([595.28, 841.89])
  page.drawText('上海市高级职称证书', { x: 180, y: 760, size: 26, font, color: rgb(0.6, 0.1, 0.1) })
  const values = Object.values({ ...FIELDS, name: nameFor(index) })
  values.forEach((value, row) => page.drawText(String(value), { x: 120, y: 680 - row * 30, size: 13, font }))
  page.drawImage(await pdf.embedJpg(photo), { x: 420, y: 600, width: 90, height: 112 })
  page.drawText('请下载“随申办市民云”APP 扫描二维码查询证书信息', { x: 120, y: 80, size: 11, font })
  return pdf.save()
}

/**
 * Issue 4: ≥200 certificates/s on 2 cores with workers, memory flat over 10,000, each < 80 KB
 * with a 20 KB photo; beside it the straightforward single-thread pdf-lib figure (~60/s).
 */
export async function benchDocuments(count = 10_000): Promise<BenchRow[]> {
  const photo = new Uint8Array(readFileSync(join(resourcesDir(), 'demo', 'photo-1.jpg')))
  const fontBytes = new Uint8Array(readFileSync(require.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')))

  const baselineCount = 60
  const baseline = await timed(async () => {
    for (let index = 0; index < baselineCount; index += 1) await baselineDocument(fontBytes, photo, index)
  })

  const pool = new DocumentPool()
  try {
    await Promise.all(Array.from({ length: pool.size * 2 }, (_, index) => pool.render({ kind: 'title', input: input(index, photo) })))
    const samples: number[] = []
    let largest = 0
    let totalBytes = 0
    const window = pool.size * 4
    const run = await timed(async () => {
      let next = 0
      const worker = async () => {
        while (next < count) {
          const index = next++
          const bytes = await pool.render({ kind: 'title', input: input(index, photo) })
          largest = Math.max(largest, bytes.length)
          totalBytes += bytes.length
          if (index % 1000 === 999) samples.push(process.memoryUsage().rss)
        }
      }
      await Promise.all(Array.from({ length: window }, worker))
    })
    const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`
    const rate = (count / run.ms) * 1000
    return [
      {
        issue: '#4',
        figure: `certificates rendered, ${pool.size} workers (${count.toLocaleString('en')} titles)`,
        value: `${Math.round(rate)} /s`,
        target: '≥ 200 /s',
      },
      {
        issue: '#4',
        figure: 'straightforward pdf-lib (fontkit subset per document, 1 thread)',
        value: `${Math.round((baselineCount / baseline.ms) * 1000)} /s`,
        target: 'baseline ≈ 60 /s',
      },
      {
        issue: '#4',
        figure: 'RSS after 1k / 5k / 10k certificates',
        value: [0, 4, 9].map((at) => (samples[at] ? mb(samples[at]) : '—')).join(' / '),
        target: 'flat',
      },
      {
        issue: '#4',
        figure: 'certificate size, largest / mean (20 KB+ photo)',
        value: `${(largest / 1024).toFixed(1)} / ${(totalBytes / count / 1024).toFixed(1)} KB`,
        target: '< 80 KB',
      },
    ]
  } finally {
    await pool.close()
  }
}
