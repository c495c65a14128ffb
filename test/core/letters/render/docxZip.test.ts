// Tests (core, Node): the letter's .docx zip (docxZip.ts). It holds the very parts docx's own Packer writes, in the
// same order; the embedded fonts, zipped from bytes deflated once per process, are each font obfuscated as ECMA-376
// Part 2 says with the key fontTable.xml gives it; and a second export reuses the deflated fonts.
import { Document, Packer, Paragraph } from 'docx'
import { describe, expect, it } from 'vitest'
import { packLetterDocx } from '../../../../electron/core/letters/render/docxZip'
import { usedFaces } from '../../../../electron/core/letters/render/letterFonts'
import { renderLetterDocx } from '../../../../electron/core/letters/render/render'
import { loadLetterAssets } from '../../../../electron/core/letters/resources'
import { loadSampleLetters } from '../../../helpers/letterSamples'
import { readZipEntries } from './zipEntries'

const { fonts } = loadLetterAssets()

/** ECMA-376 Part 2 §12.2.3: the key's 16 bytes, last first, XORed over the first 32 bytes of the font. */
function deobfuscate(part: Buffer, key: string): Buffer {
  const bytes = (key.replace(/[{}-]/g, '').match(/../g) ?? []).map((hex) => parseInt(hex, 16)).reverse()
  const out = Buffer.from(part)
  for (let i = 0; i < 32; i++) out[i] = out[i]! ^ bytes[i % 16]!
  return out
}

describe('packLetterDocx', () => {
  it('zips the same parts, in the same order, as docx’s Packer', async () => {
    const doc = new Document({
      fonts: [{ name: fonts.serif.name, data: fonts.serif.regular, bold: fonts.serif.bold }],
      sections: [{ children: [new Paragraph('Ærlig talt – будь-яких')] }],
    })
    const ours = readZipEntries(await packLetterDocx(doc))
    const theirs = readZipEntries(await Packer.toBuffer(doc))
    expect([...ours.keys()]).toEqual([...theirs.keys()])
    for (const [name, data] of theirs) expect(ours.get(name)?.equals(data), name).toBe(true)
  })

  it('embeds each face a letter uses, obfuscated with its own key, and compressed', async () => {
    const { template, data } = loadSampleLetters()[0]!
    const file = await renderLetterDocx(template, data, { fonts })
    const entries = readZipEntries(file)
    const fontTable = entries.get('word/fontTable.xml')!.toString('utf8')
    const rels = entries.get('word/_rels/fontTable.xml.rels')!.toString('utf8')
    const embeds = [...fontTable.matchAll(/<w:embed\w+ r:id="(rId\d+)" w:fontKey="(\{[0-9A-F-]+\})"/g)]
    const faces = usedFaces(fonts)
    expect(embeds).toHaveLength(faces.length)
    const keys = new Set<string>()
    for (const [, id, key] of embeds) {
      const target =
        new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1]
      const part = entries.get(`word/${target}`)!
      const font = deobfuscate(part, key!)
      expect(
        faces.some((f) => f.bytes.equals(font)),
        `${target} is a used face`,
      ).toBe(true)
      expect(part.subarray(0, 32).equals(font.subarray(0, 32))).toBe(false)
      keys.add(key!)
    }
    expect(keys.size).toBe(faces.length)
    // Deflated: the file is well under the fonts' own size (about 0.75 MB).
    const fontBytes = faces.reduce((sum, f) => sum + f.bytes.length, 0)
    expect(file.length).toBeLessThan(fontBytes * 0.7)
  })

  it('gives every export its own font keys over the same font bytes', async () => {
    const { template, data } = loadSampleLetters()[0]!
    const [a, b] = [
      readZipEntries(await renderLetterDocx(template, data, { fonts })),
      readZipEntries(await renderLetterDocx(template, data, { fonts })),
    ]
    expect(a.get('word/fontTable.xml')!.equals(b.get('word/fontTable.xml')!)).toBe(false)
    expect([...a.keys()]).toEqual([...b.keys()])
    expect(a.get('word/fonts/font1.odttf')!.subarray(32).equals(b.get('word/fonts/font1.odttf')!.subarray(32))).toBe(true)
  })
})
