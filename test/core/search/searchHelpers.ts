// Test helper (Node): a small mixed-script library of documents for the search tests, created in a real vault.
import type { LibraryDocumentInput } from '../../../shared/library/document'
import { createDocument } from '../../../electron/core/library/documentService'
import type { Vault } from '../../../electron/core/vault/vault'

export const CORPUS = {
  bialiatski: {
    kind: 'letter',
    title: 'Ліст пра палітвязняў',
    date: '2024-03-01',
    language: 'be',
    tags: ['belarus', 'prisoners'],
    status: 'sent',
    text: 'Праваабаронца Алесь Бяляцкі застаецца ў калоніі.\nМы просім вызваліць яго неадкладна.',
  },
  lubinets: {
    kind: 'correspondence',
    title: 'Відповідь Уповноваженого',
    date: '2024-05-10',
    language: 'uk',
    tags: ['ukraine'],
    status: 'received',
    text: 'Уповноважений Верховної Ради з прав людини Дмитро Лубінець відповів на наш запит щодо полонених.',
  },
  store: {
    kind: 'note',
    title: 'Møtereferat',
    date: '2023-11-20',
    language: 'no',
    tags: ['norway'],
    status: 'draft',
    text: 'Statsminister Jonas Gahr Støre møtte delegasjonen i Oslo. Vi tok opp saken om politiske fanger.',
  },
  navalny: {
    kind: 'statement',
    title: 'Statement on the death in custody',
    date: '2024-02-16',
    language: 'en',
    tags: ['russia', 'prisoners'],
    status: 'published',
    text: 'We condemn the death of Alexei Navalny in an Arctic penal colony and demand an independent investigation.',
  },
  prisonTitle: {
    kind: 'statement',
    title: 'Prison conditions',
    date: '2022-01-05',
    language: 'en',
    tags: ['russia'],
    status: 'archived',
    text: 'Overcrowding, cold cells and denial of medical care were documented by our monitors during the winter visits.',
  },
  prisonBody: {
    kind: 'note',
    title: 'Monitoring visit notes',
    date: '2022-06-30',
    language: 'en',
    tags: [],
    status: 'draft',
    text: 'The visit lasted four hours. The prison director refused access to the prison hospital, and the prison library was closed for a report.',
  },
} satisfies Record<string, LibraryDocumentInput>

export type CorpusKey = keyof typeof CORPUS

/** Creates every corpus document; returns name → record id. */
export function createCorpus(vault: Vault): Record<CorpusKey, string> {
  const ids = {} as Record<CorpusKey, string>
  for (const [key, doc] of Object.entries(CORPUS) as [CorpusKey, LibraryDocumentInput][]) ids[key] = createDocument(vault, doc).id
  return ids
}

/** The text a mark range covers. */
export function sliceMarks(text: string, marks: [number, number][]): string[] {
  return marks.map(([a, b]) => text.slice(a, b))
}
