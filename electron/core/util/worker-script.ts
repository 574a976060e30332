import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** How to start a worker thread: a file, or code to evaluate (`new Worker(file, { eval })`). */
export interface WorkerScript {
  file: string
  eval: boolean
}

/**
 * Where the worker script `name` is, for code living in `directory` (pass `__dirname`): beside the
 * bundle when built (out/<entry>/<name>.js), else the TypeScript source run through tsx (tests,
 * `npm run cli`, the benchmark).
 */
export function workerScript(directory: string, name: string): WorkerScript {
  const built = join(directory, `${name}.js`)
  if (existsSync(built)) return { file: built, eval: false }
  const source = join(directory, `${name}.ts`)
  return { file: `require('tsx/cjs/api').register(); require(${JSON.stringify(source)})`, eval: true }
}
