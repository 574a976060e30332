import { open, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import yauzl from 'yauzl'
import { PHOTO_LIMITS } from '../../../contract/application-format'
import { AppError } from '../../util/app-error'
import { PHOTO_FILE, PhotoIndex, baseName } from './photo-index'
import { MAX_PHOTO_ENTRIES, type PhotoEntry, type PhotoSource } from './photo-source'
import { DamagedEntry, WindowedReader, readEntryHead, readSmallEntry } from './zip-reader'
import { entryName, isIgnored, isUnsafePath, slashed } from './zip-names'

// 200,000 ID photos of 20 KB are 4 GB; an archive declaring more is not a batch's photos.
const MAX_TOTAL_BYTES = 4 * 1024 ** 3
// JPEG and PNG barely compress; an entry inflating a hundredfold is built to exhaust memory.
const MAX_RATIO = 100
// Below this a high ratio is harmless (a blank text file compresses a thousandfold) and reads
// are capped anyway.
const RATIO_FLOOR_BYTES = 1024 * 1024
const READ_LIMIT = PHOTO_LIMITS.maxBytes + 1

/**
 * A ZIP of photos, read in place: the central directory is checked and indexed when opened, and
 * entries are read on demand by base name. Nothing is extracted to disk, so no entry name can
 * reach outside the archive, and unsafe names are refused anyway as a sign of a hostile archive.
 */
export async function openZipSource(path: string, fileSize: number): Promise<PhotoSource> {
  const where = `照片压缩包 ${basename(path)} `
  const handle = await open(path, 'r')
  let zip: yauzl.ZipFile | null = null
  try {
    zip = await openZip(handle, path, fileSize, where)
    if (zip.entryCount > MAX_PHOTO_ENTRIES) {
      throw new AppError('VALIDATION', `${where}中有 ${zip.entryCount} 个文件，超过上限 ${MAX_PHOTO_ENTRIES} 个，请按批次分开打包`)
    }
    const { index, entries } = await indexEntries(zip, where)
    return zipSource(zip, handle, fileSize, index, entries, where)
  } catch (error) {
    zip?.close()
    await handle.close()
    throw error
  }
}

async function openZip(handle: FileHandle, path: string, fileSize: number, where: string): Promise<yauzl.ZipFile> {
  // Names are decoded here (GBK-aware, see zip-names.ts), not by yauzl.
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }
  try {
    return await yauzl.fromRandomAccessReaderPromise(new WindowedReader(handle.fd, path), fileSize, options)
  } catch {
    throw new AppError('VALIDATION', `${where}不是有效的 ZIP 文件，或者已经损坏，请重新打包后上传`)
  }
}

async function indexEntries(zip: yauzl.ZipFile, where: string): Promise<{ index: PhotoIndex; entries: Map<PhotoEntry, yauzl.Entry> }> {
  const index = new PhotoIndex(where)
  const entries = new Map<PhotoEntry, yauzl.Entry>()
  let total = 0
  try {
    for await (const entry of zip.eachEntry()) {
      const path = slashed(entryName(entry))
      if (isUnsafePath(path)) throw new AppError('VALIDATION', `${where}中有不安全的文件路径「${path}」，已拒绝，请只打包照片文件`)
      if (isIgnored(path)) continue
      refuseUnsafeEntry(entry, path, where)
      total += entry.uncompressedSize
      if (total > MAX_TOTAL_BYTES) throw new AppError('VALIDATION', `${where}解压后超过 4 GB，不像是一批证件照，已拒绝`)
      if (!PHOTO_FILE.test(path)) continue
      const photo: PhotoEntry = { name: baseName(path), path, size: entry.uncompressedSize }
      index.add(photo)
      entries.set(photo, entry)
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    // yauzl found the directory inconsistent (sizes, signatures, strong encryption).
    throw new AppError('VALIDATION', `${where}已损坏，无法读取其中的文件列表，请重新打包后上传`)
  }
  return { index, entries }
}

function refuseUnsafeEntry(entry: yauzl.Entry, path: string, where: string): void {
  if (entry.isEncrypted()) throw new AppError('VALIDATION', `${where}设置了密码（${path} 已加密），请去掉密码后重新打包`)
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new AppError('VALIDATION', `${where}中的 ${path} 使用了不支持的压缩方式，请用常见的 ZIP 工具重新打包`)
  }
  const size = entry.uncompressedSize
  if (size > RATIO_FLOOR_BYTES && size > MAX_RATIO * entry.compressedSize) {
    const ratio = entry.compressedSize === 0 ? '无穷' : `${Math.round(size / entry.compressedSize)} 倍`
    throw new AppError('VALIDATION', `${where}中的 ${path} 压缩比异常（${ratio}），可能是恶意构造的压缩包，已拒绝`)
  }
}

function zipSource(
  zip: yauzl.ZipFile,
  handle: FileHandle,
  fileSize: number,
  index: PhotoIndex,
  entries: Map<PhotoEntry, yauzl.Entry>,
  where: string,
): PhotoSource {
  return {
    kind: 'zip',
    size: index.size,
    lookup: (name) => index.lookup(name),
    forIdNumber: (id) => index.forIdNumber(id),
    async read(photo) {
      const entry = entries.get(photo)
      if (!entry) throw new Error(`not an entry of this source: ${photo.path}`)
      try {
        return entry.uncompressedSize > PHOTO_LIMITS.maxBytes
          ? await readEntryHead(zip, entry, READ_LIMIT)
          : await readSmallEntry(handle.fd, fileSize, entry, READ_LIMIT)
      } catch (error) {
        if (!(error instanceof DamagedEntry)) throw error
        throw new AppError('VALIDATION', `${where}中的 ${photo.path} 已损坏（内容与压缩包记录的大小或校验值不符），请重新打包后上传`)
      }
    },
    async close() {
      zip.close()
      await handle.close()
    },
  }
}
