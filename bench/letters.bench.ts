// Benchmark (Node, run by the lead's bench runner): time to render a three-page letter to HTML and to DOCX.
import { parseLetterTemplate, type LetterTemplate } from '../shared/letters/templateModel'
import { renderLetterDocx, renderLetterHtml, type LetterFonts } from '../electron/core/letters/render/render'
import { median, timeMs, type Figure } from './measure'

const RUNS = 10

/** A coalition-style letter long enough for three A4 pages: 8 paragraphs of ~140 words, 8 requests, 2 signatories. */
function buildBenchLetter(): { template: LetterTemplate; data: Record<string, unknown> } {
  const template = parseLetterTemplate({
    id: 'bench-letter',
    version: 1,
    name: 'Bench letter',
    description: 'three-page letter for timing',
    language: 'en-GB',
    builtIn: false,
    pageSize: 'A4',
    letterhead: { organisation: 'Bench Organisation', address: 'Street 1\n0001 City', contact: 'post@bench.example' },
    fields: [
      { name: 'recipients', label: 'Recipients', type: 'persons', required: true },
      { name: 'letterDate', label: 'Date', type: 'date', required: true },
      { name: 'subject', label: 'Subject', type: 'text', required: true },
      { name: 'body', label: 'Text', type: 'richtext', required: true },
      { name: 'requests', label: 'Requests', type: 'requests', required: true },
      { name: 'signatories', label: 'Signatories', type: 'persons', required: true },
    ],
    blocks: [
      { type: 'letterhead' },
      { type: 'recipients', field: 'recipients' },
      { type: 'placeDate', dateField: 'letterDate' },
      { type: 'subject', field: 'subject' },
      { type: 'salutation' },
      { type: 'body', field: 'body' },
      { type: 'requests', field: 'requests', template: 'We therefore urge you to:' },
      { type: 'closing' },
      { type: 'signatories', field: 'signatories' },
      { type: 'footer' },
    ],
  })
  const sentence = 'The organisations document each case with care and share findings only with the consent of those concerned. '
  const paragraph = (i: number): string =>
    `${i % 4 === 0 ? `<h2>Section ${i / 4 + 1}</h2>` : ''}<p>${sentence.repeat(6)}<strong>Key point ${i}.</strong> ${sentence.repeat(2)}</p>`
  const data = {
    recipients: [{ name: 'Alex Example', title: 'Prime Minister', email: 'office@pm.example' }],
    letterDate: '2025-05-26',
    subject: 'A three-page letter for the benchmark',
    body: Array.from({ length: 8 }, (_, i) => paragraph(i)).join(''),
    requests: Array.from({ length: 8 }, (_, i) => `Take step ${i + 1} without delay, and report on progress within three months.`),
    signatories: [
      { name: 'Sam Signer', title: 'Secretary General' },
      { name: 'Kim Cosigner', title: 'Deputy Secretary General', credentials: ['Former ambassador', 'Member of the board'] },
    ],
  }
  return { template, data }
}

async function measureMedian(run: () => unknown): Promise<number> {
  await run() // warm-up: module init, font base64, parse caches
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) times.push(await timeMs(run))
  return median(times)
}

/**
 * Median of 10 runs (after one warm-up) for rendering a three-page letter to HTML and to DOCX, in milliseconds.
 * Pass `fonts` (loadLetterFonts) to include inlining the bundled fonts in the HTML. Prints nothing.
 */
export async function runLettersBench(options: { fonts?: LetterFonts } = {}): Promise<Figure[]> {
  const { template, data } = buildBenchLetter()
  const html = await measureMedian(() => renderLetterHtml(template, data, options.fonts ? { fonts: options.fonts } : {}))
  const docx = await measureMedian(() => renderLetterDocx(template, data))
  return [
    { name: 'render 3-page letter to HTML (median of 10)', value: html, unit: 'ms', goal: '≤ 50 ms' },
    { name: 'export 3-page letter to DOCX (median of 10)', value: docx, unit: 'ms', goal: '≤ 300 ms' },
  ]
}
