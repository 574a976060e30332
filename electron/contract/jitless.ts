import { z } from 'zod'

/**
 * Imported first by every browser-side bundle of the contract (preload, web preload,
 * renderer): zod otherwise probes `new Function` to compile object parsers, which the CSP
 * (no unsafe-eval) reports as a violation. Core keeps zod's compiled fast path.
 */
z.config({ jitless: true })
