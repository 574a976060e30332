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
 * The acting user's password: CERTDESK_PASSWORD, else the first line of stdin when it is piped,
 * else a hidden prompt. Never echoed, never logged.
 */
export async function readPassword(username: string): Promise<string> {
  const fromEnv = process.env.CERTDESK_PASSWORD
  if (fromEnv) return fromEnv
  if (!stdin.isTTY) {
    const line = (await readAllStdin()).split(/\r?\n/)[0] ?? ''
    if (!line) throw new CliError(`需要用户 ${username} 的密码：通过标准输入或 CERTDESK_PASSWORD 提供`)
    return line
  }
  return promptHidden(`用户 ${username} 的密码：`)
}
