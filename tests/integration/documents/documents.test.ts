import { spawnSync } from 'node:child_process'
import { PNG } from 'pngjs'
import jsQR from 'jsqr'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDocumentRenderer, formatChineseDate, verificationUrl, type DocumentRenderer } from '../../../electron/core/documents'
import { AppError } from '../../../electron/core/util/app-error'
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFString } from 'pdf-lib'
import { meanAbsoluteDifference, poppler, rasterise } from '../../fixtures/documents/poppler'
import {
  makeIdPhoto,
  passCertificateSample,
  querySlipSample,
  REFERENCE_NAMES,
  renderSamples,
  titleSample,
  vocationalSample,
  type ReferenceName,
} from '../../fixtures/documents/samples'

const REFERENCE_DIR = join(__dirname, '../../fixtures/documents/reference')
const SUISHENBAN = '请下载“随申办市民云”APP扫描二维码查询证书信息'

/** pdftotext output (stdin to stdout) with all whitespace removed: labels are letter-spaced and paragraphs wrap. */
function extractText(pdf: Uint8Array): string {
  return poppler('pdftotext', ['-layout', '-enc', 'UTF-8', '-'], pdf).stdout.toString('utf8').replace(/\s+/g, '')
}

function compact(text: string): string {
  return text.replace(/\s+/g, '')
}

let renderer: DocumentRenderer
let photo: Uint8Array
let documents: Record<ReferenceName, Uint8Array>

beforeAll(async () => {
  renderer = createDocumentRenderer()
  photo = makeIdPhoto()
  documents = await renderSamples(renderer, photo)
}, 60_000)

describe('every character of every field survives (pdftotext)', () => {
  it('title certificate', () => {
    const input = titleSample(photo)
    const text = extractText(documents['title-certificate'])
    const f = input.fields
    expect(f.name).toContain('㛃')
    expect(f.name).toContain('䶮')
    for (const value of [
      f.name,
      f.gender,
      formatChineseDate(f.birthMonth),
      f.idType,
      f.idNumber,
      f.employer,
      f.titleName,
      f.specialty,
      f.reviewBody,
      formatChineseDate(f.obtainedOn),
      input.number,
      input.issuer,
      formatChineseDate(input.issuedOn),
    ]) {
      expect(text).toContain(compact(value))
    }
    expect(text).toContain('上海市高级职称证书')
    expect(text).toContain(SUISHENBAN)
    for (const label of [
      '姓名',
      '性别',
      '出生年月',
      '证件类型',
      '证件号',
      '工作单位',
      '职称名称',
      '专业名称',
      '评审机构',
      '取得职称时间',
      '证书编号',
    ])
      expect(text).toContain(`${label}：`)
  })

  it('vocational certificate, with an astral character (𠅤 U+20164) in the name', () => {
    const input = vocationalSample(photo)
    const text = extractText(documents['vocational-certificate'])
    const f = input.fields
    for (const value of [
      f.name,
      f.gender,
      formatChineseDate(f.birthMonth),
      f.idType,
      f.idNumber,
      f.qualificationName,
      f.category,
      f.level,
      formatChineseDate(f.approvedOn),
      input.number,
    ]) {
      expect(text).toContain(compact(value))
    }
    expect(text).toContain('注册安全工程师执业资格证书')
    expect(text).toContain('上海市应急管理局')
    expect(text).toContain(SUISHENBAN)
  })

  it('query slip', () => {
    const input = querySlipSample()
    const text = extractText(documents['query-slip'])
    const f = input.fields
    expect(text).toContain('职称评审结果查询单')
    expect(text).toContain(
      `经查询上海市专业技术资格数据信息库，${f.name}同志（身份证号：${f.idNumber}）于${formatChineseDate(f.reviewedOn)}通过${f.reviewBody}职称评审，取得${f.titleName}职称，评审专业为${f.specialty}，证书编号为${f.certificateNumber}。`,
    )
    expect(text).toContain(input.number)
    expect(text).toContain(input.issuer)
  })

  it('pass certificate', () => {
    const input = passCertificateSample()
    const text = extractText(documents['pass-certificate'])
    const f = input.fields
    expect(text).toContain(`${f.examYear}年度${f.qualificationName}考试成绩合格证明`)
    expect(text).toContain(`持有人参加${f.examYear}年度${f.qualificationName}考试，成绩合格，特此证明。`)
    for (const value of [
      f.name,
      f.gender,
      f.idNumber,
      f.level,
      f.specialty,
      f.managementNumber,
      input.issuer,
      formatChineseDate(input.issuedOn),
    ])
      expect(text).toContain(compact(value))
  })
})

describe('fonts (pdffonts)', () => {
  it.each(REFERENCE_NAMES)('%s embeds subset CID TrueType fonts only, with no complaints', (name) => {
    const { stdout, stderr } = poppler('pdffonts', [], documents[name])
    expect(stderr).toBe('')
    const rows = stdout.toString('utf8').trim().split('\n').slice(2)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+NotoSerifSC-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
      expect(row).not.toContain('Type 3')
    }
  })
})

describe('appearance (pdftoppm against the approved references)', () => {
  it.each(REFERENCE_NAMES)('%s matches its reference within 1.5 %%', (name) => {
    const { image, stderr } = rasterise(documents[name], 72)
    expect(stderr).toBe('')
    const reference = PNG.sync.read(readFileSync(join(REFERENCE_DIR, `${name}.png`)))
    expect(meanAbsoluteDifference(image, reference)).toBeLessThan(0.015)
  })

  it('is deterministic: the same input gives the same bytes', async () => {
    const again = await renderer.renderTitleCertificate(titleSample(photo))
    expect(Buffer.from(again).equals(Buffer.from(documents['title-certificate']))).toBe(true)
  })
})

describe('QR code', () => {
  it.each([
    ['title-certificate', () => titleSample(photo)],
    ['vocational-certificate', () => vocationalSample(photo)],
  ] as const)('%s: decodes at 150 dpi to the verification URL', (name, sample) => {
    const input = sample()
    const { image } = rasterise(documents[name], 150)
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)
    expect(decoded?.data).toBe(verificationUrl(input.verifyBaseUrl, input.number, input.fields))
    expect(decoded?.data).toMatch(/^https:\/\/rsj\.sh\.gov\.cn\/zscx\/[A-Z0-9]+\?c=[A-Z2-7]{8}$/)
  })

  it('binds the short code to the content', () => {
    const input = titleSample()
    const url = verificationUrl(input.verifyBaseUrl, input.number, input.fields)
    expect(verificationUrl(`${input.verifyBaseUrl}/`, input.number, { ...input.fields })).toBe(url)
    expect(verificationUrl(input.verifyBaseUrl, input.number, { ...input.fields, titleName: '副主任医师' })).not.toBe(url)
  })
})

describe('font coverage', () => {
  it('lists missing characters, astral ones whole, after NFC', () => {
    expect(renderer.missingCharacters(['王𠇔', '㛃䶮', '李𠅤'])).toEqual(['𠇔'])
    // e + combining acute composes to é, which the font has.
    expect(renderer.missingCharacters(['Jose\u0301'])).toEqual([])
  })

  it('refuses a name the font cannot show, naming the character and the person, and produces nothing', async () => {
    const input = titleSample(photo)
    input.fields.name = '王𠇔'
    const attempt = renderer.renderTitleCertificate(input)
    await expect(attempt).rejects.toBeInstanceOf(AppError)
    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION',
      message: '证书持有人“王𠇔”的姓名中有字库缺少的字：“𠇔”(U+201D4)，无法生成证书',
    })
  })
})

describe('size and metadata', () => {
  it('keeps a certificate with a 20 KB photo under 80 KB', () => {
    expect(photo.byteLength).toBeGreaterThanOrEqual(20_000)
    expect(documents['title-certificate'].byteLength).toBeLessThan(80 * 1024)
    expect(documents['vocational-certificate'].byteLength).toBeLessThan(80 * 1024)
  })

  it('writes the info dictionary and the XMP packet', () => {
    const pdf = documents['title-certificate']
    const info = poppler('pdfinfo', [], pdf).stdout.toString('utf8')
    expect(info).toMatch(/Title:\s+上海市高级职称证书 王㛃䶮/)
    expect(info).toMatch(/Author:\s+上海市人力资源和社会保障局/)
    expect(info).toMatch(/Keywords:.*2024S0107000123/)
    expect(info).toMatch(/Creator:\s+CertDesk/)
    const xmp = poppler('pdfinfo', ['-meta'], pdf).stdout.toString('utf8')
    expect(xmp).toContain('<certdesk:certificateNumber>2024S0107000123</certdesk:certificateNumber>')
    expect(xmp).toContain('<xmp:CreateDate>2024-12-28T12:00:00+08:00</xmp:CreateDate>')
    expect(xmp).toContain('上海市高级职称证书 王㛃䶮')
  })
})

describe('variants', () => {
  it('draws the 预览 watermark on a preview', async () => {
    const pdf = await renderer.renderTitleCertificate({ ...titleSample(photo), preview: true })
    // The two rotated characters land on different lines of pdftotext's layout, 览 first.
    const text = extractText(pdf)
    expect(text).toContain('预')
    expect(text).toContain('览')
    expect(extractText(documents['title-certificate'])).not.toMatch(/[预览]/)
  })

  it('places an uploaded PNG seal instead of drawing one', async () => {
    const png = new PNG({ width: 64, height: 64 })
    for (let offset = 0; offset < png.data.length; offset += 4) png.data.set([220, 20, 30, offset % 3 === 0 ? 200 : 0], offset)
    const input = titleSample(photo)
    input.seals = [{ slot: 'single', organisationName: input.issuer, png: new Uint8Array(PNG.sync.write(png)) }]
    const pdf = await renderer.renderTitleCertificate(input)
    const list = spawnSync('pdfimages', ['-list', '-'], { input: pdf }).stdout.toString()
    expect(list).toMatch(/smask/)
    // The drawn seal's purpose line is gone; the issuer's name printed under the seal remains.
    expect(extractText(pdf)).not.toContain('专业技术资格证书专用章')
  })

  it('for sealing, puts each seal in a hidden signature field instead of on the page', async () => {
    const input = { ...vocationalSample(photo), sealFields: true }
    const pdf = await renderer.renderVocationalCertificate(input)
    const document = await PDFDocument.load(pdf)
    const form = document.catalog.lookup(PDFName.of('AcroForm'), PDFDict)
    expect(form.lookup(PDFName.of('SigFlags'), PDFNumber).asNumber()).toBe(3)
    const fields = form
      .lookup(PDFName.of('Fields'), PDFArray)
      .asArray()
      .map((ref) => document.context.lookup(ref, PDFDict))
    expect(fields.map((field) => field.lookup(PDFName.of('T'), PDFString).decodeText())).toEqual(['seal_bureau', 'seal_department'])
    for (const field of fields) {
      expect(field.get(PDFName.of('FT'))).toBe(PDFName.of('Sig'))
      expect(field.get(PDFName.of('V'))).toBeUndefined()
      expect(field.lookup(PDFName.of('F'), PDFNumber).asNumber()).toBe(2)
      const appearance = field.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of('N'))
      expect(appearance).toBeInstanceOf(PDFRawStream)
      expect((appearance as PDFRawStream).dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('Form'))
    }
    // Hidden until signed: no seal red where the seals sit, while the preview shows both.
    const redAtSeals = (bytes: Uint8Array) => {
      const { image } = rasterise(bytes, 72)
      let red = 0
      for (const cx of [278, 446])
        for (let y = 841 - 168 - 50; y < 841 - 168 + 50; y += 1)
          for (let x = cx - 50; x < cx + 50; x += 1) {
            const at = (y * image.width + x) * 4
            if (image.data[at] > 170 && image.data[at + 1] < 90 && image.data[at + 2] < 90) red += 1
          }
      return red
    }
    expect(redAtSeals(pdf)).toBe(0)
    expect(redAtSeals(documents['vocational-certificate'])).toBeGreaterThan(500)
  })
})
