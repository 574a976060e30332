import { run } from './run'

/** The `certdesk` entry point (bin/certdesk.mjs and `npm run cli`). */
run(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
