// Main process (and the e2e harness): handlers of the letters area — templates, live preview, drafts, exports.
// Printing to PDF and the save dialogs come from `Platform`; everything else is core code.
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../../shared/errors'
import type { lettersChannels } from '../../../../shared/ipc/channels/letterChannels'
import { parseLetterTemplate, type LetterTemplate } from '../../../../shared/letters/templateModel'
import { copyLetterDraft, getLetterDraft, listLetters, markLetterSent, saveLetterDraft } from '../../letters/letterDrafts'
import { buildLetterAnnex } from '../../letters/letterAnnex'
import { assertNoPlaceholders, resolveLetter } from '../../letters/letterProfile'
import { renderLetterExport, renderMergedExports, type ExportFormat } from '../../letters/letterExport'
import { loadLetterAssets } from '../../letters/resources'
import {
  deleteUserTemplate,
  duplicateLetterTemplate,
  exportTemplateJson,
  findLetterTemplate,
  importUserTemplate,
  listLetterTemplates,
  saveUserTemplate,
} from '../../letters/userTemplates'
import { renderLetterHtml, validateLetterData } from '../../letters/render/render'
import { writeUserFileSync } from '../../platform/fs/atomicWrite'
import { safeFileName } from '../../platform/fs/safeFileName'
import type { Vault } from '../../vault/vault'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createLettersHandlers(ctx: HandlerContext): AreaHandlers<typeof lettersChannels> {
  const { session } = ctx
  const vault = (): Vault => session.requireVault()
  const template = (templateId: string): LetterTemplate => findLetterTemplate(vault(), loadLetterAssets().builtins, templateId)
  // What a preview or an export renders: the template and data with the organisation profile applied.
  const letter = (templateId: string, data: Record<string, unknown>) =>
    resolveLetter(vault(), loadLetterAssets().builtins, templateId, data)
  const printPdf = (html: string, pageSize: LetterTemplate['pageSize']): Promise<Buffer> => {
    if (!ctx.platform.renderPdf) throw new CustodiaError('UNSUPPORTED', 'PDF export is not available in this window.')
    return ctx.platform.renderPdf(html, pageSize)
  }
  // Linked fonts where the printer's origin serves them (the app, the e2e harness), else embedded.
  const fontSource = ctx.platform.servesLetterFonts === true ? 'linked' : 'embedded'
  const exportName = (t: LetterTemplate, data: Record<string, unknown>, format: ExportFormat): string => {
    const subjectBlock = t.blocks.find((b) => b.type === 'subject')
    const subject =
      subjectBlock && subjectBlock.type === 'subject' && typeof data[subjectBlock.field] === 'string'
        ? (data[subjectBlock.field] as string)
        : ''
    return `${safeFileName(subject || t.name, 'letter', { maxBytes: 120 })}.${format}`
  }

  return {
    'letters:listTemplates': () => ({ templates: listLetterTemplates(vault(), loadLetterAssets().builtins) }),
    'letters:getTemplate': ({ templateId }) => ({ template: template(templateId) }),
    'letters:preview': ({ templateId, template: inline, data: input, audience }) => {
      // A template being edited (inline) is shown as it is; a letter gets the organisation profile like its export.
      const { template: t, data } =
        templateId !== undefined ? letter(templateId, input) : { template: (vault(), parseLetterTemplate(inline)), data: input }
      const report = validateLetterData(t, data)
      // Malformed values are left out of the preview (and listed) rather than failing the whole render.
      const bad = new Set(report.invalid.map((i) => i.field))
      const usable = Object.fromEntries(Object.entries(data).filter(([k]) => !bad.has(k) && t.fields.some((f) => f.name === k)))
      const annex = buildLetterAnnex(vault(), t, usable, audience)
      const { html, unknownPlaceholders } = renderLetterHtml(t, usable, {
        fonts: loadLetterAssets().fonts,
        fontSource,
        strict: false,
        ...(annex ? { annex } : {}),
      })
      return {
        url: ctx.letterPreviews.putPreview(html),
        report,
        unknownPlaceholders,
        annex: annex ? { included: annex.rows.length, omitted: annex.omitted } : null,
      }
    },
    'letters:export': async ({ templateId, data: input, format, audience, confirmPlaceholders, confirmLongCc }) => {
      const { template: t, data } = letter(templateId, input)
      const annex = buildLetterAnnex(vault(), t, data, audience)
      // Render before asking, so an incomplete letter is refused without a dialog and nothing is written.
      const bytes = await renderLetterExport(t, data, format, {
        fonts: loadLetterAssets().fonts,
        fontSource,
        printPdf,
        ...(annex ? { annex } : {}),
      })
      assertNoPlaceholders(t, data, {
        confirmed: confirmPlaceholders === true,
        longCcConfirmed: confirmLongCc === true,
        ...(annex ? { annex } : {}),
      })
      const file = await ctx.platform.chooseSaveLocation(exportName(t, data, format))
      if (!file) return { path: null }
      writeUserFileSync(file, bytes)
      vault().audit.append('letter.exported', { format, files: 1 })
      return { path: file }
    },
    'letters:merge': async ({ templateId, data: input, format, audience, confirmPlaceholders, confirmLongCc }) => {
      const { template: t, data } = letter(templateId, input)
      const annex = buildLetterAnnex(vault(), t, data, audience)
      const outputs = await renderMergedExports(t, data, format, {
        fonts: loadLetterAssets().fonts,
        fontSource,
        printPdf,
        ...(annex ? { annex } : {}),
      })
      assertNoPlaceholders(t, data, {
        confirmed: confirmPlaceholders === true,
        longCcConfirmed: confirmLongCc === true,
        ...(annex ? { annex } : {}),
      })
      if (!ctx.platform.chooseExportFolder)
        throw new CustodiaError('UNSUPPORTED', 'Exporting several files is not available in this window.')
      const dir = await ctx.platform.chooseExportFolder()
      if (!dir) return { dir: null, files: [] }
      if (outputs.some((o) => fs.existsSync(path.join(dir, o.name)))) {
        throw new CustodiaError('CONFLICT', 'The chosen folder already holds files with these names: choose an empty folder.')
      }
      for (const o of outputs) writeUserFileSync(path.join(dir, o.name), o.bytes, { exclusive: true })
      vault().audit.append('letter.exported', { format, files: outputs.length })
      return { dir, files: outputs.map((o) => o.name) }
    },
    'letters:list': () => ({ letters: listLetters(vault()) }),
    'letters:getDraft': ({ id }) => getLetterDraft(vault(), id),
    'letters:saveDraft': ({ id, expectedRevision, templateId, data }) =>
      saveLetterDraft(vault(), template(templateId), {
        ...(id ? { id } : {}),
        ...(expectedRevision !== undefined ? { expectedRevision } : {}),
        letterData: data,
      }),
    'letters:markSent': ({ id, expectedRevision }) =>
      markLetterSent(vault(), template(getLetterDraft(vault(), id).templateId), id, expectedRevision),
    'letters:copyDraft': ({ id }) => copyLetterDraft(vault(), template(getLetterDraft(vault(), id).templateId), id),
    'templates:duplicate': ({ templateId }) => ({ template: duplicateLetterTemplate(vault(), loadLetterAssets().builtins, templateId) }),
    'templates:save': ({ template: input }) => ({ template: saveUserTemplate(vault(), loadLetterAssets().builtins, input) }),
    'templates:delete': ({ templateId }) => {
      deleteUserTemplate(vault(), loadLetterAssets().builtins, templateId)
      return {}
    },
    'templates:import': ({ json }) => ({ template: importUserTemplate(vault(), loadLetterAssets().builtins, json) }),
    'templates:export': async ({ templateId }) => {
      const json = exportTemplateJson(template(templateId))
      const file = await ctx.platform.chooseSaveLocation(`${safeFileName(templateId, 'template', { maxBytes: 120 })}.json`)
      if (!file) return { path: null }
      writeUserFileSync(file, json)
      return { path: file }
    },
  }
}
