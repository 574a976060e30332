import type { z } from 'zod'

/**
 * One callable method of the contract: its input schema (validated at the main/host boundary)
 * and, as a phantom type, its output. `public` methods may be called without a session.
 */
export interface Method<I extends z.ZodType, O> {
  readonly input: I
  readonly public: boolean
  /** Never set at run time: carries the output type only. */
  readonly __output?: O
}

/** `method(InputSchema).returns<Output>()` keeps input and output declared side by side. */
export function method<I extends z.ZodType>(input: I, options: { public?: boolean } = {}) {
  return {
    returns<O>(): Method<I, O> {
      return { input, public: options.public ?? false }
    },
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMethod = Method<z.ZodType, any>
export type Domain = Record<string, AnyMethod>

export type InputOf<M> = M extends Method<infer I, unknown> ? z.input<I> : never
export type ParsedInputOf<M> = M extends Method<infer I, unknown> ? z.output<I> : never
export type OutputOf<M> = M extends Method<z.ZodType, infer O> ? O : never
