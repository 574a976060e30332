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
  // Restored key by key: replacing process.env with a plain object would cut it off from the real
  // environment, which native code (SoftHSM2 reads SOFTHSM2_CONF) still sees.
  const restore = () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
  try {
    const code = await run(args)
    return { code, stdout: out.join('\n'), stderr: err.join('\n') }
  } finally {
    restore()
    log.mockRestore()
    error.mockRestore()
    write.mockRestore()
  }
}
