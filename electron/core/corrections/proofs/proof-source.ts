import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises'
import { basename, join } from 'node:path'
import yauzl from 'yauzl'
import { DamagedEntry, WindowedReader, readSmallEntry } from '../../applications/photos/zip-reader'
import { entryName, isIgnored, isUnsafePath, slashed } from '../../applications/photos/zip-names'
import { AppError } from '../../util/app-error'

/** One proof file of the folder or ZIP uploaded with a table, by its base name. */
export interface ProofFile {
  name: string
  /** Where it is inside the source (sub-folders included), for messages. */
  path: string
  size: number
}

/** The proofs (证明材料) uploaded with a correction table: a folder or a ZIP, indexed by base name. */
export interface ProofSource {
  lookup(name: string): ProofFile | undefined
  read(file: ProofFile): Promise<Buffer>
  close(): Promise<void>
}

/** A proof is a scan or a photo: generous, but bounded, since each is kept with the request. */
export const MAX_PROOF_BYTES = 20 * 1024 * 1024
const MAX_PROOF_FILES = 10_000
const MAX_DEPTH = 3
// Scans compress a little; an entry inflating a hundredfold is built to exhaust memory.
const MAX_RATIO = 100
const RATIO_FLOOR_BYTES = 1024 * 1024

/** Opens a folder or ZIP of proofs; throws AppError VALIDATION (in Chinese) for what cannot be trusted. */
export async function openProofSource(path: string): Promise<ProofSource> {
  const info = await stat(path).catch(() => null)
  if (!info) throw new AppError('VALIDATION', '找不到上传的证明材料，请重新上传')
  return info.isDirectory() ? openDirectory(path) : openZip(path, info.size)
}

class ProofIndex {
  private readonly byName = new Map<string, ProofFile>()
  constructor(private readonly where: string) {}

  add(file: ProofFile): void {
    if (this.byName.size >= MAX_PROOF_FILES)
      throw new AppError('VALIDATION', `${this.where}中的文件超过 ${MAX_PROOF_FILES} 个，请确认选择是否正确`)
    const key = nameKey(file.name)
    const clash = this.byName.get(key)
    if (clash) throw new AppError('VALIDATION', `${this.where}中有两个同名的文件：${clash.path} 和 ${file.path}，请改名其中一个后重新上传`)
    this.byName.set(key, file)
  }

  lookup(name: string): ProofFile | undefined {
    return this.byName.get(nameKey(name))
  }
}

// NFC: macOS writes decomposed names; Windows clerks do not see case.
function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

async function openDirectory(root: string): Promise<ProofSource> {
  const index = new ProofIndex('证明材料文件夹')
  const walk = async (relative: string, depth: number): Promise<void> => {
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === '__MACOSX') continue
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(path, depth + 1)
      else if (entry.isFile()) index.add({ name: entry.name, path, size: (await stat(join(root, path))).size })
    }
  }
  await walk('', 0)
  return {
    lookup: (name) => index.lookup(name),
    read: async (file) => {
      if (file.size > MAX_PROOF_BYTES) return Buffer.alloc(MAX_PROOF_BYTES + 1)
      return readFile(join(root, file.path))
    },
    close: async () => undefined,
  }
}

async function openZip(path: string, fileSize: number): Promise<ProofSource> {
  const where = `证明材料压缩包 ${basename(path)} `
  const handle = await open(path, 'r')
  let zip: yauzl.ZipFile | null = null
  try {
    const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }
    zip = await yauzl.fromRandomAccessReaderPromise(new WindowedReader(handle.fd, path), fileSize, options).catch(() => {
      throw new AppError('VALIDATION', `${where}不是有效的 ZIP 文件，或者已经损坏，请重新打包后上传`)
    })
    const index = new ProofIndex(where)
    const entries = new Map<ProofFile, yauzl.Entry>()
    for await (const entry of zip.eachEntry()) {
      const name = slashed(entryName(entry))
      if (isUnsafePath(name)) throw new AppError('VALIDATION', `${where}中有不安全的文件路径「${name}」，已拒绝`)
      if (isIgnored(name)) continue
      refuseUnsafeEntry(entry, name, where)
      const file = { name: name.slice(name.lastIndexOf('/') + 1), path: name, size: entry.uncompressedSize }
      index.add(file)
      entries.set(file, entry)
    }
    return zipSource(zip, handle, fileSize, index, entries, where)
  } catch (error) {
    zip?.close()
    await handle.close()
    if (error instanceof AppError) throw error
    throw new AppError('VALIDATION', `${where}已损坏，无法读取其中的文件列表，请重新打包后上传`)
  }
}

function refuseUnsafeEntry(entry: yauzl.Entry, name: string, where: string): void {
  if (entry.isEncrypted()) throw new AppError('VALIDATION', `${where}设置了密码（${name} 已加密），请去掉密码后重新打包`)
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new AppError('VALIDATION', `${where}中的 ${name} 使用了不支持的压缩方式，请用常见的 ZIP 工具重新打包`)
  }
  const size = entry.uncompressedSize
  if (size > RATIO_FLOOR_BYTES && size > MAX_RATIO * entry.compressedSize) {
    throw new AppError('VALIDATION', `${where}中的 ${name} 压缩比异常，可能是恶意构造的压缩包，已拒绝`)
  }
}

function zipSource(
  zip: yauzl.ZipFile,
  handle: FileHandle,
  fileSize: number,
  index: ProofIndex,
  entries: Map<ProofFile, yauzl.Entry>,
  where: string,
): ProofSource {
  return {
    lookup: (name) => index.lookup(name),
    async read(file) {
      const entry = entries.get(file)!
      // Too large to keep: the caller only needs to know that much.
      if (entry.uncompressedSize > MAX_PROOF_BYTES) return Buffer.alloc(MAX_PROOF_BYTES + 1)
      try {
        return await readSmallEntry(handle.fd, fileSize, entry, MAX_PROOF_BYTES)
      } catch (error) {
        if (!(error instanceof DamagedEntry)) throw error
        throw new AppError('VALIDATION', `${where}中的 ${file.path} 已损坏，请重新打包后上传`)
      }
    },
    async close() {
      zip.close()
      await handle.close()
    },
  }
}
