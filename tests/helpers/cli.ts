import { vi } from 'vitest'
import { run } from '../../electron/cli/run'

/** Runs the CLI in-process, capturing what it prints. */
export async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...items) => void out.push(items.join(' ')))
  const error = vi.spyOn(console, 'error').mockImplementation((...items) => void err.push(items.join(' ')))
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk))
    return true
  })
  const saved = { ...process.env }
  Object.assign(process.env, env)
  try {
    const code = await run(args)
    return { code, stdout: out.join('\n'), stderr: err.join('\n') }
  } finally {
    process.env = saved
    log.mockRestore()
    error.mockRestore()
    write.mockRestore()
  }
}
