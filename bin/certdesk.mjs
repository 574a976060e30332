#!/usr/bin/env node
// The installed `certdesk` command: runs the built CLI (npm run build), or says how to get it.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../out/cli/index.js', import.meta.url))
if (!existsSync(cli)) {
  console.error('certdesk: 找不到构建好的命令行程序，请先运行 npm run build（or use: npm run cli -- …）')
  process.exit(1)
}
createRequire(import.meta.url)(cli)
