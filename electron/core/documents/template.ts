import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

/**
 * The layout of a document as data (resources/templates/*.json). Coordinates are PDF points from
 * the bottom-left corner of the page; a text's y is its baseline. Strings may hold {placeholders}
 * that the renderer fills from the document's values.
 */
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #RRGGBB')
const weight = z.enum(['regular', 'bold'])
const point = z.tuple([z.number(), z.number()])

const textElement = z
  .object({
    type: z.literal('text'),
    text: z.string().min(1),
    x: z.number(),
    y: z.number(),
    size: z.number().positive(),
    font: weight.default('regular'),
    colour: colour.default('#1a1a1a'),
    align: z.enum(['left', 'center', 'right']).default('left'),
    /** Shrinks the size (down to minSize) so the text fits. */
    maxWidth: z.number().positive().optional(),
    minSize: z.number().positive().optional(),
    /** Extra space between characters, in points (PDF Tc). */
    letterSpacing: z.number().default(0),
  })
  .strict()

const fieldRow = z
  .object({
    label: z.string().min(1),
    value: z.string(),
    maxWidth: z.number().positive(),
    /** Leave the row out when its value is empty. */
    optional: z.boolean().default(false),
  })
  .strict()

const fieldsElement = z
  .object({
    type: z.literal('fields'),
    x: z.number(),
    y: z.number(),
    rowHeight: z.number().positive(),
    /** Labels are spread over this width, as on the paper certificates (姓 … 名：). */
    labelWidth: z.number().positive(),
    gap: z.number().nonnegative(),
    size: z.number().positive(),
    minSize: z.number().positive().default(7),
    labelFont: weight.default('regular'),
    valueFont: weight.default('regular'),
    labelColour: colour.default('#333333'),
    valueColour: colour.default('#111111'),
    rule: z.object({ colour, width: z.number().positive(), offset: z.number() }).strict().optional(),
    rows: z.array(fieldRow).min(1),
  })
  .strict()

const paragraphElement = z
  .object({
    type: z.literal('paragraph'),
    text: z.string().min(1),
    x: z.number(),
    y: z.number(),
    width: z.number().positive(),
    size: z.number().positive(),
    lineHeight: z.number().positive(),
    firstLineIndent: z.number().nonnegative().default(0),
    font: weight.default('regular'),
    colour: colour.default('#1a1a1a'),
  })
  .strict()

const rectElement = z
  .object({
    type: z.literal('rect'),
    x: z.number(),
    y: z.number(),
    width: z.number().positive(),
    height: z.number().positive(),
    fill: colour.optional(),
    fillOpacity: z.number().min(0).max(1).default(1),
    borderColour: colour.optional(),
    borderWidth: z.number().nonnegative().default(0),
  })
  .strict()

const lineElement = z
  .object({ type: z.literal('line'), from: point, to: point, width: z.number().positive(), colour, dash: z.array(z.number()).optional() })
  .strict()

const frameElement = z
  .object({
    type: z.literal('frame'),
    lines: z.array(z.object({ inset: z.number().nonnegative(), width: z.number().positive(), colour }).strict()).min(1),
    /** Corner ornaments: an L-shaped bracket with a small diamond, inside the innermost line. */
    corners: z.object({ inset: z.number(), size: z.number().positive(), width: z.number().positive(), colour }).strict().optional(),
  })
  .strict()

const photoElement = z
  .object({
    type: z.literal('photo'),
    x: z.number(),
    y: z.number(),
    width: z.number().positive(),
    height: z.number().positive(),
    borderColour: colour,
    borderWidth: z.number().nonnegative(),
    placeholder: z.string().min(1),
  })
  .strict()

const qrElement = z
  .object({
    type: z.literal('qr'),
    x: z.number(),
    y: z.number(),
    size: z.number().positive(),
    colour: colour.default('#000000'),
    quietZone: z.number().int().min(0).default(4),
  })
  .strict()

const sealElement = z
  .object({
    type: z.literal('seal'),
    slot: z.enum(['single', 'bureau', 'department']),
    cx: z.number(),
    cy: z.number(),
    diameter: z.number().positive(),
    defaultPurpose: z.string().default(''),
  })
  .strict()

const element = z.discriminatedUnion('type', [
  textElement,
  fieldsElement,
  paragraphElement,
  rectElement,
  lineElement,
  frameElement,
  photoElement,
  qrElement,
  sealElement,
])

export const documentTemplateSchema = z
  .object({
    $comment: z.string().optional(),
    name: z.string().min(1),
    page: z.object({ width: z.number().positive(), height: z.number().positive() }).strict(),
    metadata: z.object({ title: z.string().min(1), subject: z.string().min(1), keywords: z.array(z.string()) }).strict(),
    preview: z
      .object({ text: z.string().min(1), size: z.number().positive(), colour, opacity: z.number().min(0).max(1), angle: z.number() })
      .strict(),
    elements: z.array(element).min(1),
  })
  .strict()

export type DocumentTemplate = z.infer<typeof documentTemplateSchema>
export type TemplateElement = z.infer<typeof element>
export type TextElement = z.infer<typeof textElement>
export type FieldsElement = z.infer<typeof fieldsElement>
export type ParagraphElement = z.infer<typeof paragraphElement>
export type SealElement = z.infer<typeof sealElement>
export type FrameElement = z.infer<typeof frameElement>

export const TEMPLATE_FILES = {
  title: 'title-certificate.json',
  vocational: 'vocational-certificate.json',
  querySlip: 'query-slip.json',
  passCertificate: 'pass-certificate.json',
} as const

export type TemplateKind = keyof typeof TEMPLATE_FILES

/** Reads and validates one template; a broken template fails loudly at start-up, not mid-batch. */
export function loadTemplate(templatesDir: string, kind: TemplateKind): DocumentTemplate {
  const file = join(templatesDir, TEMPLATE_FILES[kind])
  const parsed = documentTemplateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success) {
    throw new Error(
      `invalid document template ${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    )
  }
  return parsed.data
}

/** Fills {key} placeholders; an unknown key is a template bug and throws. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (_match, key: string) => {
    const value = values[key]
    if (value === undefined) throw new Error(`document template uses an unknown placeholder {${key}}`)
    return value
  })
}
