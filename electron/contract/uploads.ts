import { z } from 'zod'
import { method } from './method'

/**
 * Files the user picks in the renderer reach core in chunks, over IPC or the web host alike:
 * begin an upload, append each file's bytes in order, finish. An upload is a folder of named
 * files (one workbook, one notice PDF, one photo ZIP, or many photos picked as a folder); only
 * its owner can use it, and imports refer to it by id.
 */
export const UPLOAD_PURPOSES = ['workbook', 'photos', 'notice', 'attachment'] as const
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number]

/** 512 KB of bytes per call keeps each call's body under the web host's 1 MB limit. */
export const UPLOAD_CHUNK_BYTES = 512 * 1024

export const UploadIdSchema = z.string().regex(/^[a-f0-9]{32}$/, '上传编号无效')

/** A file name inside an upload: a bare name, never a path. */
export const UploadFileNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((name) => !/[\\/\0]/.test(name) && name !== '.' && name !== '..', '文件名不能包含路径')

export interface UploadInfo {
  id: string
  purpose: UploadPurpose
  files: number
  bytes: number
}

export const uploads = {
  begin: method(z.object({ purpose: z.enum(UPLOAD_PURPOSES) }).strict()).returns<{ id: string }>(),
  append: method(
    z
      .object({
        id: UploadIdSchema,
        file: UploadFileNameSchema,
        /** Where these bytes go in the file: appends must arrive in order, a retry of the last one is accepted. */
        offset: z.number().int().min(0),
        dataBase64: z
          .string()
          .max(Math.ceil((UPLOAD_CHUNK_BYTES * 4) / 3) + 4, '每次上传的数据块不能超过 512 KB')
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, '上传的数据应为 base64 编码'),
      })
      .strict(),
  ).returns<{ received: number }>(),
  finish: method(z.object({ id: UploadIdSchema }).strict()).returns<UploadInfo>(),
  discard: method(z.object({ id: UploadIdSchema }).strict()).returns<null>(),
}
