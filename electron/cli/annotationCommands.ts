// CLI (Node): annotation commands — `custodia annotate` attaches a comment to a quoted passage of a record's text,
// `custodia annotations` lists a record's annotations re-anchored to its current text (or prints W3C JSON-LD).
import { createAnnotation, listAnnotations, locateQuote, type AnchoredAnnotation } from '../core/annotations/annotationService'
import { exportRecordW3C } from '../core/annotations/annotationExport'
import { readAuthorPerson } from '../core/session/author'
import { passphraseFileOption, withVault } from './cliSession'
import type { Command } from './command'
import { flattenField, UsageError, writeJson, writeLine } from './io'

function readOccurrence(value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value)) throw new UsageError('--occurrence must be a positive whole number')
  return Number(value)
}

/** The quoted passage as it reads now (anchored) or as it was (orphaned / field notes). */
function describeQuote(item: AnchoredAnnotation, text: string): string {
  if ('start' in item.anchor) return [...text].slice(item.anchor.start, item.anchor.end).join('')
  return item.annotation.target.quote?.exact ?? ''
}

export const annotationCommands: Command[] = [
  {
    words: ['annotate'],
    usage: 'annotate <dir> <recordId> --quote TEXT --body TEXT [--legal ID] [--tag T]… [--occurrence N]',
    summary: 'annotate a quoted passage of a record (prints the annotation id)',
    options: {
      ...passphraseFileOption,
      quote: { type: 'string', value: 'TEXT', help: "the passage to annotate, exactly as it reads in the record's text (required)" },
      body: { type: 'string', value: 'TEXT', help: 'the comment (required)' },
      legal: { type: 'string', multiple: true, value: 'ID', help: 'a legal basis, by its id in the vocabulary (repeat for several)' },
      tag: { type: 'string', multiple: true, value: 'T', help: 'a tag (repeat for several)' },
      occurrence: { type: 'string', value: 'N', help: 'which occurrence of the passage, when it appears more than once (1 = first)' },
    },
    arity: 2,
    run: async (ctx) => {
      const quote = ctx.options['quote']
      const body = ctx.options['body']
      if (typeof quote !== 'string' || quote === '') throw new UsageError('--quote TEXT is required')
      if (typeof body !== 'string') throw new UsageError('--body TEXT is required')
      const occurrence = readOccurrence(ctx.options['occurrence'])
      const recordId = ctx.args[1]!
      await withVault(ctx, (vault) => {
        const selection = locateQuote(vault, recordId, quote, occurrence)
        const annotation = createAnnotation(
          vault,
          {
            recordId,
            selection,
            body,
            tags: (ctx.options['tag'] as string[] | undefined) ?? [],
            legalBasisIds: (ctx.options['legal'] as string[] | undefined) ?? [],
          },
          readAuthorPerson(vault.member),
        )
        writeLine(ctx.io.stdout, annotation.id)
      })
    },
  },
  {
    words: ['annotations'],
    usage: 'annotations <dir> <recordId> [--w3c]',
    summary: 'list a record’s annotations: id, status, anchor, legal basis, quote, comment (or W3C JSON-LD)',
    options: { ...passphraseFileOption, w3c: { type: 'boolean', help: 'print the annotations as W3C Web Annotation JSON-LD' } },
    arity: 2,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const recordId = ctx.args[1]!
        if (ctx.options['w3c'] === true) {
          writeJson(ctx.io.stdout, exportRecordW3C(vault, recordId))
          vault.audit.append('annotations.exported', { recordId, format: 'w3c' })
          return
        }
        const items = listAnnotations(vault, recordId)
        const body = vault.getRecord(recordId).body as Record<string, unknown> | null
        const text = body && typeof body['text'] === 'string' ? body['text'] : ''
        for (const item of items) {
          const a = item.annotation
          writeLine(
            ctx.io.stdout,
            [
              a.id,
              a.status,
              item.anchor.status,
              a.legalBases.map((b) => b.id).join(',') || '-',
              flattenField(describeQuote(item, text)),
              flattenField(a.body.text),
            ].join('\t'),
          )
        }
      }),
  },
]
