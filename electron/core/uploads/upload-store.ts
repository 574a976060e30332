import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UPLOAD_CHUNK_BYTES, type UploadInfo, type UploadPurpose } from '../../contract/uploads'
import { requireSignedIn, type Actor } from '../users/access'
import { AppError } from '../util/app-error'
import type { Clock } from '../util/clock'

/** An upload may hold a photo folder of a 100,000-row batch, but not fill the disk. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024
export const MAX_UPLOAD_FILES = 200_000
/** Unfinished or unused uploads are removed after a day (at start and whenever one begins). */
const MAX_AGE_MS = 24 * 60 * 60 * 1000

interface Manifest {
  userId: number
  purpose: UploadPurpose
  createdAt: number
  finished: boolean
}

/** A finished upload, resolved for a core service: its folder and files. */
export interface ResolvedUpload {
  id: string
  purpose: UploadPurpose
  dir: string
  files: Array<{ name: string; path: string; size: number }>
}

/** Where to read a picked folder or ZIP from: one ZIP is read as a ZIP, anything else as the upload's folder. */
export function folderOrZipPath(upload: ResolvedUpload): string {
  return upload.files.length === 1 && /\.zip$/i.test(upload.files[0].name) ? upload.files[0].path : upload.dir
}

/**
 * Files picked in the renderer, received in chunks under <dataDir>/uploads/<id>/. Only the user
 * who began an upload may append to it or use it; the files are inputs to an import and never
 * part of the record (the import stores what it keeps in the FileStore).
 */
export class UploadStore {
  private readonly root: string
  /** Bytes and files of each upload this process has appended to, so an append need not list the folder. */
  private readonly totals = new Map<string, { bytes: number; files: number }>()

  constructor(
    dataDir: string,
    private readonly clock: Clock,
  ) {
    this.root = join(dataDir, 'uploads')
  }

  async begin(actor: Actor | null, purpose: UploadPurpose): Promise<{ id: string }> {
    const user = requireSignedIn(actor)
    await this.sweep()
    const id = randomBytes(16).toString('hex')
    await mkdir(join(this.root, id, 'files'), { recursive: true })
    await this.writeManifest(id, { userId: user.userId, purpose, createdAt: this.clock.now().getTime(), finished: false })
    return { id }
  }

  /** Appends in order; a repeated chunk (a retry after a lost answer) at the same offset is accepted once more. */
  async append(actor: Actor | null, id: string, file: string, offset: number, dataBase64: string): Promise<{ received: number }> {
    const manifest = await this.owned(actor, id)
    if (manifest.finished) throw new AppError('INVALID_STATE', '该上传已完成，不能再追加内容')
    const bytes = Buffer.from(dataBase64, 'base64')
    if (bytes.length > UPLOAD_CHUNK_BYTES) throw new AppError('VALIDATION', '每次上传的数据块不能超过 512 KB')
    const path = join(this.root, id, 'files', file)
    const size = await stat(path).then(
      (info) => info.size,
      () => 0,
    )
    const totals = await this.totalsOf(id)
    if (size === 0 && offset === 0 && totals.files >= MAX_UPLOAD_FILES) {
      throw new AppError('VALIDATION', `一次上传的文件数不能超过 ${MAX_UPLOAD_FILES} 个`)
    }
    if (offset !== size && offset + bytes.length !== size) {
      throw new AppError('VALIDATION', `上传数据块的位置不对：文件 ${file} 已收到 ${size} 字节，本块从 ${offset} 开始`)
    }
    if (offset + bytes.length === size && offset !== size) return { received: size }
    if (totals.bytes + bytes.length > MAX_UPLOAD_BYTES) {
      throw new AppError('VALIDATION', `一次上传的文件总量不能超过 ${MAX_UPLOAD_BYTES / 1024 ** 3} GB`)
    }
    const handle = await open(path, 'a')
    try {
      await handle.write(bytes)
    } finally {
      await handle.close()
    }
    totals.bytes += bytes.length
    if (size === 0) totals.files += 1
    return { received: size + bytes.length }
  }

  async finish(actor: Actor | null, id: string): Promise<UploadInfo> {
    const manifest = await this.owned(actor, id)
    const files = await this.list(id)
    if (files.length === 0) throw new AppError('VALIDATION', '没有收到任何文件')
    await this.writeManifest(id, { ...manifest, finished: true })
    this.totals.delete(id)
    return { id, purpose: manifest.purpose, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) }
  }

  async discard(actor: Actor | null, id: string): Promise<null> {
    await this.owned(actor, id)
    await rm(join(this.root, id), { recursive: true, force: true })
    this.totals.delete(id)
    return null
  }

  /** For core services: a finished upload of the actor, with the expected purpose. */
  async resolve(actor: Actor | null, id: string, purpose: UploadPurpose): Promise<ResolvedUpload> {
    const manifest = await this.owned(actor, id)
    if (!manifest.finished) throw new AppError('INVALID_STATE', '文件尚未上传完成')
    if (manifest.purpose !== purpose) throw new AppError('VALIDATION', '上传的文件用途不符')
    return { id, purpose, dir: join(this.root, id, 'files'), files: await this.list(id) }
  }

  private async owned(actor: Actor | null, id: string): Promise<Manifest> {
    const user = requireSignedIn(actor)
    const manifest = await readFile(join(this.root, id, 'manifest.json'), 'utf8').then(
      (text) => JSON.parse(text) as Manifest,
      () => null,
    )
    // Someone else's upload is reported like a missing one: ids are not to be probed.
    if (!manifest || manifest.userId !== user.userId) throw new AppError('NOT_FOUND', '上传的文件不存在或已过期，请重新选择文件')
    return manifest
  }

  private async list(id: string): Promise<ResolvedUpload['files']> {
    const dir = join(this.root, id, 'files')
    const names = (await readdir(dir)).sort()
    return Promise.all(names.map(async (name) => ({ name, path: join(dir, name), size: (await stat(join(dir, name))).size })))
  }

  private async totalsOf(id: string): Promise<{ bytes: number; files: number }> {
    let totals = this.totals.get(id)
    if (!totals) {
      const files = await this.list(id)
      totals = { bytes: files.reduce((sum, file) => sum + file.size, 0), files: files.length }
      this.totals.set(id, totals)
    }
    return totals
  }

  private async writeManifest(id: string, manifest: Manifest): Promise<void> {
    await writeFile(join(this.root, id, 'manifest.json'), JSON.stringify(manifest))
  }

  /** Removes uploads older than a day: inputs of imports long done, or abandoned. */
  private async sweep(): Promise<void> {
    const ids = await readdir(this.root).catch(() => [] as string[])
    const cutoff = this.clock.now().getTime() - MAX_AGE_MS
    for (const id of ids) {
      const manifest = await readFile(join(this.root, id, 'manifest.json'), 'utf8').then(
        (text) => JSON.parse(text) as Manifest,
        () => null,
      )
      // A folder without a manifest may be an upload beginning right now: judge it by its age.
      const createdAt =
        manifest?.createdAt ??
        (await stat(join(this.root, id)).then(
          (info) => info.mtimeMs,
          () => 0,
        ))
      if (createdAt < cutoff) await rm(join(this.root, id), { recursive: true, force: true })
    }
  }
}
