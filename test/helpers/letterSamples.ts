// Test helper (Node): every letter the layout tests print — each built-in template with its sample data, and the
// real-length letters of test/fixtures/letters-long (our own wording), resolved through the organisation profile
// the way the app and the CLI resolve them.
import fs from 'node:fs'
import path from 'node:path'
import { applyOrganisationProfile } from '../../electron/core/letters/letterProfile'
import { loadLetterAssets } from '../../electron/core/letters/resources'
import { BUILTIN_TEMPLATE_IDS } from '../../electron/core/letters/render/builtinTemplates'
import type { LetterData, LetterTemplate } from '../../shared/letters/templateModel'
import { parseOrganisationProfile } from '../../shared/organisation/profile'

const ROOT = path.resolve(import.meta.dirname, '../..')
const SAMPLES = path.join(ROOT, 'resources/templates/samples')
const LONG = path.join(ROOT, 'test/fixtures/letters-long')

export type SampleLetter = { readonly name: string; readonly template: LetterTemplate; readonly data: LetterData }

/** The built-in samples (by template id), then the long letters (by file name). */
export function loadSampleLetters(): SampleLetter[] {
  const { builtins } = loadLetterAssets()
  const builtin = (id: string): LetterTemplate => {
    const template = builtins.find((t) => t.id === id)
    if (!template) throw new Error(`no built-in template ${id}`)
    return template
  }
  const samples = BUILTIN_TEMPLATE_IDS.map((id) => ({
    name: id,
    template: builtin(id),
    data: JSON.parse(fs.readFileSync(path.join(SAMPLES, `${id}.json`), 'utf8')) as LetterData,
  }))
  const long = fs
    .readdirSync(LONG)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const fixture = JSON.parse(fs.readFileSync(path.join(LONG, file), 'utf8')) as {
        template: string
        profile: unknown
        fields: LetterData
      }
      const resolved = applyOrganisationProfile(builtin(fixture.template), fixture.fields, parseOrganisationProfile(fixture.profile))
      return { name: path.basename(file, '.json'), ...resolved }
    })
  return [...samples, ...long]
}
