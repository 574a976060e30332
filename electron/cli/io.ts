import { stdin, stdout } from 'node:process'

/** Output that respects --json: one JSON document, or human lines. */
export interface Output {
  json: boolean
  result(value: unknown, human: () => string): void
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`)
    },
  }
}

/** Thrown for a clean one-line failure with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads a line at the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stdout.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    let value = ''
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false)
          stdin.pause()
          stdin.off('data', onData)
          stdout.write('\n')
          resolve(value)
          return
        }
        if (char === '\u0003') {
          stdin.setRawMode(false)
          reject(new CliError('已取消'))
          return
        }
        value = char === '\u007f' ? value.slice(0, -1) : value + char
      }
    }
    stdin.on('data', onData)
  })
}

/**
 * What the command reads from its user: the password, then (for `sign --pin-stdin`) the seal
 * key's PIN. Piped standard input is read once and handed out a line at a time: the password
 * first unless CERTDESK_PASSWORD gives it, then the PIN. Neither is ever echoed or logged.
 */
export class Secrets {
  private lines: Promise<string[]> | null = null
  private next = 0

  private async line(): Promise<string> {
    const lines = await (this.lines ??= readAllStdin().then((text) => text.split(/\r?\n/)))
    return lines[this.next++] ?? ''
  }

  /** The acting user's password: CERTDESK_PASSWORD, else a line of piped stdin, else a hidden prompt. */
  async password(username: string): Promise<string> {
    const fromEnv = process.env.CERTDESK_PASSWORD
    if (fromEnv) return fromEnv
    if (!stdin.isTTY) {
      const line = await this.line()
      if (!line) throw new CliError(`需要用户 ${username} 的密码：通过标准输入或 CERTDESK_PASSWORD 提供`)
      return line
    }
    return promptHidden(`用户 ${username} 的密码：`)
  }

  /** The seal key's PIN: the next line of piped stdin with --pin-stdin, else a hidden prompt at a terminal. */
  async pin(fromStdin: boolean): Promise<string> {
    if (fromStdin && !stdin.isTTY) {
      const line = await this.line()
      if (!line) throw new CliError('--pin-stdin：标准输入中没有 PIN 码（若密码也从标准输入提供，PIN 码写在第二行）')
      return line
    }
    if (!stdin.isTTY) throw new CliError('需要印章密钥的 PIN 码：用 --pin-stdin 从标准输入提供，或在终端中运行')
    return promptHidden('印章密钥 PIN 码：')
  }
}
