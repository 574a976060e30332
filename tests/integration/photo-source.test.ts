import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PHOTO_LIMITS } from '../../electron/contract/application-format'
import { inspectPhoto } from '../../electron/core/applications/photos/inspect'
import { openPhotoSource, type PhotoSource } from '../../electron/core/applications/photos/photo-source'
import { AppError } from '../../electron/core/util/app-error'
import { buildZip, type ZipItem } from '../fixtures/photos/zip'

const demo = (index: number) => readFileSync(join(__dirname, '../../resources/demo', `photo-${index}.jpg`))
const ID = '310101198503120022'
const ID_X = '11010519491231002X'
// 王丽华 in GBK, as Windows' “compressed folder” writes a Chinese name: no UTF-8 flag.
const GBK_NAME = Buffer.concat([Buffer.from([0xcd, 0xf5, 0xc0, 0xf6, 0xbb, 0xaa]), Buffer.from('.png')])
const png = PNG.sync.write(new PNG({ width: 200, height: 240 }))

/** Bytes that do not compress, so a large entry is not mistaken for a bomb. */
function noise(length: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(length)
  let state = seed
  for (let index = 0; index < length; index += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    bytes[index] = state >>> 24
  }
  return bytes
}

let work: string
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'certdesk-photos-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

function writeTree(root: string, files: Record<string, Buffer | string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  return root
}

function writeZip(name: string, items: ZipItem[], options?: Parameters<typeof buildZip>[1]): string {
  const path = join(work, name)
  writeFileSync(path, buildZip(items, options))
  return path
}

async function refusal(path: string): Promise<string> {
  const error = await openPhotoSource(path).then(
    async (source) => {
      await source.close()
      throw new Error('expected the source to be refused')
    },
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe('VALIDATION')
  return (error as AppError).message
}

/** What every source built from the standard set of files must answer. */
async function expectStandardLookups(source: PhotoSource): Promise<void> {
  expect(source.size).toBe(4)
  const byId = source.forIdNumber(ID)!
  expect(byId.name).toBe(`${ID}.jpg`)
  expect((await source.read(byId)).equals(demo(1))).toBe(true)
  expect(source.lookup(`${ID}.JPG`)).toBe(byId)
  expect(source.lookup(`C:\\照片\\${ID}.jpg`)).toBe(byId)
  // The file is named with a lower-case x; the ID number has X.
  const withX = source.forIdNumber(ID_X)!
  expect(source.forIdNumber(ID_X.toLowerCase())).toBe(withX)
  expect((await source.read(withX)).equals(demo(2))).toBe(true)
  expect((await source.read(source.lookup('王丽华.PNG')!)).equals(png)).toBe(true)
  expect(source.lookup('李四.jpeg')!.size).toBe(demo(3).length)
  for (const missing of ['nope.jpg', '.DS_Store', 'readme.txt', '._x.jpg', `${ID}.png`])
    expect(source.lookup(missing), missing).toBeUndefined()
  expect(source.forIdNumber('310101198503120030')).toBeUndefined()
}

describe('photo source: a folder', () => {
  it('indexes photos up to three folders deep by base name, ignoring hidden files and __MACOSX', async () => {
    const root = writeTree(join(work, 'folder'), {
      [`${ID}.jpg`]: demo(1),
      [`sub/${ID_X.toLowerCase()}.JPG`]: demo(2),
      'sub/deeper/王丽华.png': png,
      'a/b/c/李四.jpeg': demo(3),
      'a/b/c/d/too-deep.jpg': demo(1),
      '.hidden.jpg': demo(1),
      '.git/x.jpg': demo(1),
      '__MACOSX/sub/._x.jpg': 'resource fork',
      'readme.txt': '说明',
    })
    symlinkSync(join(root, `${ID}.jpg`), join(root, 'linked.jpg'))
    const source = await openPhotoSource(root)
    expect(source.kind).toBe('directory')
    await expectStandardLookups(source)
    expect(source.lookup('too-deep.jpg')).toBeUndefined()
    expect(source.lookup('linked.jpg')).toBeUndefined()
    await source.close()
  })

  it('reads at most maxBytes + 1 bytes of a huge file, enough for “too large” with the real size', async () => {
    const root = writeTree(join(work, 'huge'), { 'big.jpg': noise(3 * 1024 * 1024) })
    const source = await openPhotoSource(root)
    const entry = source.lookup('big.jpg')!
    const bytes = await source.read(entry)
    expect(bytes.length).toBe(PHOTO_LIMITS.maxBytes + 1)
    expect(inspectPhoto(bytes, entry.size)).toMatchObject({ code: 'PHOTO_TOO_LARGE', message: '照片文件为 3 MB，超过上限 2 MB' })
    await source.close()
  })

  it.each<[string, Record<string, Buffer>, RegExp]>([
    [
      'the same name in two folders',
      { 'a/x.jpg': demo(1), 'b/X.JPG': demo(2) },
      /照片文件夹中有两个同名的照片：a\/x\.jpg 和 b\/X\.JPG|b\/X\.JPG 和 a\/x\.jpg/,
    ],
    ['the same ID number as .jpg and .png', { [`${ID}.jpg`]: demo(1), [`${ID}.png`]: png }, /只有扩展名不同/],
  ])('refuses %s, naming both files', async (name, files, message) => {
    expect(await refusal(writeTree(join(work, name), files))).toMatch(message)
  })

  it('refuses a path that does not exist', async () => {
    expect(await refusal(join(work, 'nothing-here'))).toContain('找不到上传的照片')
  })
})

const STANDARD_ZIP: ZipItem[] = [
  { name: `${ID}.jpg`, data: demo(1) },
  { name: `sub/${ID_X.toLowerCase()}.JPG`, data: demo(2), method: 0 },
  { name: GBK_NAME, data: png },
  { name: 'a/b/c/d/e/李四.jpeg', data: demo(3) },
  { name: 'sub/' },
  { name: '__MACOSX/sub/._x.jpg', data: Buffer.from('resource fork') },
  { name: '.DS_Store', data: Buffer.alloc(6148) },
  { name: 'readme.txt', data: Buffer.from('说明') },
]

describe('photo source: a ZIP', () => {
  it('indexes photos by base name from any folder, reading GBK and UTF-8 names, stored and deflated', async () => {
    const source = await openPhotoSource(writeZip('standard.zip', STANDARD_ZIP))
    expect(source.kind).toBe('zip')
    await expectStandardLookups(source)
    await source.close()
  })

  it('reads a ZIP written by Info-ZIP’s zip command', async () => {
    const root = writeTree(join(work, 'for-zip'), { [`${ID}.jpg`]: demo(1), 'sub/b.png': png, [`sub/${ID_X.toLowerCase()}.jpg`]: demo(2) })
    const path = join(work, 'info-zip.zip')
    execFileSync('zip', ['-q', '-r', path, '.'], { cwd: root })
    const source = await openPhotoSource(path)
    expect(source.size).toBe(3)
    expect((await source.read(source.forIdNumber(ID)!)).equals(demo(1))).toBe(true)
    expect((await source.read(source.forIdNumber(ID_X)!)).equals(demo(2))).toBe(true)
    expect((await source.read(source.lookup('B.PNG')!)).equals(png)).toBe(true)
    await source.close()
  })

  it.each<[string, ZipItem[], RegExp]>([
    [
      'two photos of one name',
      [
        { name: 'a/x.jpg', data: demo(1) },
        { name: 'b/X.jpg', data: demo(2) },
      ],
      /照片压缩包 case\.zip 中有两个同名的照片：a\/x\.jpg 和 b\/X\.jpg/,
    ],
    ['an encrypted entry', [{ name: 'x.jpg', data: demo(1), flags: 1 }], /case\.zip 设置了密码（x\.jpg 已加密）/],
    ['a zip bomb', [{ name: 'x.jpg', data: Buffer.alloc(20 * 1024 * 1024) }], /x\.jpg 压缩比异常（\d+ 倍）/],
    ['a zip bomb that is not a photo', [{ name: 'x.txt', data: Buffer.alloc(20 * 1024 * 1024) }], /x\.txt 压缩比异常/],
    [
      'more than 4 GiB declared',
      Array.from({ length: 45 }, (_, index) => ({
        name: `${index}.jpg`,
        data: demo(1),
        declaredSize: 100 * 1024 * 1024,
        declaredCompressedSize: 2 * 1024 * 1024,
      })),
      /解压后超过 4 GB/,
    ],
    ['a name climbing out', [{ name: '../../etc/x.jpg', data: demo(1) }], /不安全的文件路径「\.\.\/\.\.\/etc\/x\.jpg」/],
    ['a name climbing out midway', [{ name: 'a/../../x.jpg', data: demo(1) }], /不安全的文件路径/],
    ['an absolute name', [{ name: '/tmp/x.jpg', data: demo(1) }], /不安全的文件路径/],
    ['a Windows drive name', [{ name: 'C:\\photos\\x.jpg', data: demo(1) }], /不安全的文件路径「C:\/photos\/x\.jpg」/],
    ['an unsupported compression method', [{ name: 'x.jpg', data: demo(1), method: 12 as 0 }], /不支持的压缩方式/],
  ])('refuses %s', async (_case, items, message) => {
    expect(await refusal(writeZip('case.zip', items))).toMatch(message)
  })

  it('refuses more than 200,000 entries before reading them', async () => {
    expect(await refusal(writeZip('many.zip', [{ name: 'x.jpg', data: demo(1) }], { declaredEntryCount: 200_001 }))).toContain(
      '有 200001 个文件，超过上限 200000 个',
    )
  })

  it('refuses a file that is not a ZIP', async () => {
    const path = join(work, 'photos.zip')
    writeFileSync(path, '这不是压缩包')
    expect(await refusal(path)).toBe('照片压缩包 photos.zip 不是有效的 ZIP 文件，或者已经损坏，请重新打包后上传')
  })

  it.each<[string, 0 | 8]>([
    ['stored', 0],
    ['deflated', 8],
  ])('reads at most maxBytes + 1 bytes of a %s entry declared too large', async (_case, method) => {
    const source = await openPhotoSource(writeZip('large.zip', [{ name: 'big.jpg', data: noise(3 * 1024 * 1024), method }]))
    const entry = source.lookup('big.jpg')!
    const bytes = await source.read(entry)
    // Buffer.equals: a deep toEqual over 2 MB takes vitest half a minute.
    expect(bytes.equals(noise(PHOTO_LIMITS.maxBytes + 1))).toBe(true)
    expect(inspectPhoto(bytes, entry.size)).toMatchObject({ code: 'PHOTO_TOO_LARGE', message: '照片文件为 3 MB，超过上限 2 MB' })
    await source.close()
  })

  it.each<[string, ZipItem]>([
    ['a deflated entry inflating far beyond its declared size', { name: 'x.jpg', data: noise(3 * 1024 * 1024), declaredSize: 20_000 }],
    ['a deflated entry a little longer than declared', { name: 'x.jpg', data: demo(1), declaredSize: demo(1).length - 10 }],
    [
      'an entry declared larger than it is',
      { name: 'x.jpg', data: demo(1), declaredSize: 3 * 1024 * 1024, declaredCompressedSize: 3 * 1024 * 1024 },
    ],
    [
      'a stored entry whose data is longer than declared',
      { name: 'x.jpg', data: demo(1), method: 0, declaredSize: 1000, declaredCompressedSize: 1000 },
    ],
  ])('refuses to read %s (a lying header), never holding more than the limit', async (_case, item) => {
    const source = await openPhotoSource(writeZip('lying.zip', [item]))
    const error = await source.read(source.lookup('x.jpg')!).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).message).toBe(
      '照片压缩包 lying.zip 中的 x.jpg 已损坏（内容与压缩包记录的大小或校验值不符），请重新打包后上传',
    )
    await source.close()
  })

  it('reads 10,000 stored photos of about 20 KB, each found by ID number, all bytes intact', async () => {
    const photo = demo(1)
    const ids = Array.from({ length: 10_000 }, (_, index) => String(index).padStart(17, '0') + 'X')
    const path = writeZip(
      'ten-thousand.zip',
      ids.map((id) => ({ name: `photos/${id.toLowerCase()}.jpg`, data: photo, method: 0 })),
    )
    const source = await openPhotoSource(path)
    try {
      expect(source.size).toBe(10_000)
      let next = 0
      let bytes = 0
      const worker = async () => {
        while (next < ids.length) {
          const read = await source.read(source.forIdNumber(ids[next++])!)
          expect(read.equals(photo)).toBe(true)
          bytes += read.length
        }
      }
      await Promise.all(Array.from({ length: 16 }, worker))
      expect(bytes).toBe(photo.length * ids.length)
    } finally {
      await source.close()
    }
  }, 120_000)
})
