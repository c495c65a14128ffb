// Unit tests (Node): the test helper that checks exports against the Web Annotation Data Model's MUST rules
// (test/helpers/w3cModelValidator.ts) passes the model's own examples and reports each rule broken — a validator that
// cannot fail would prove nothing about the exports it approves.
import { describe, expect, it } from 'vitest'
import { ANNO_CONTEXT, isIri, validateAnnotation, validateAnnotationCollection } from '../../helpers/w3cModelValidator'

const annotation = {
  id: 'urn:uuid:6f1c2d3e-4a5b-4c6d-8e7f-901234567890',
  type: 'Annotation',
  motivation: 'commenting',
  body: [{ type: 'TextualBody', value: '<p>Note</p>', format: 'text/html', purpose: 'commenting' }],
  target: {
    source: 'urn:custodia:record:0123456789abcdef0123456789abcdef',
    selector: [
      { type: 'TextQuoteSelector', exact: 'moved', prefix: 'was ', suffix: ' to' },
      {
        type: 'FragmentSelector',
        conformsTo: 'https://www.rfc-editor.org/rfc/rfc6901',
        value: '/a',
        refinedBy: { type: 'TextPositionSelector', start: 3, end: 8 },
      },
    ],
  },
  creator: { id: 'urn:custodia:person:alice', type: 'Person', name: 'Alice' },
  created: '2025-06-04T10:00:00Z',
  modified: '2025-06-05T08:30:00.123+02:00',
}

// The model's example of a collection with its first page embedded (§5.2), with our annotation as the item.
const collection = {
  '@context': ANNO_CONTEXT,
  id: 'http://example.org/collection1',
  type: 'AnnotationCollection',
  label: 'Two Annotations',
  total: 2,
  first: {
    id: 'http://example.org/page1',
    type: 'AnnotationPage',
    partOf: { id: 'http://example.org/collection1' },
    startIndex: 0,
    items: [annotation, 'http://example.org/anno2'],
  },
  last: 'http://example.org/page1',
}

/** A deep copy of `value` with the property at the dotted `path` set to `to` (removed when `to` is undefined). */
function changed(value: object, path: string, to: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>
  const keys = path.split('.')
  let node = copy
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>
  const last = keys.at(-1)!
  if (to === undefined) delete node[last]
  else node[last] = to
  return copy
}

describe('W3C model validator', () => {
  it('accepts the model-shaped examples', () => {
    expect(validateAnnotation({ '@context': ANNO_CONTEXT, ...annotation }, 'annotation', true)).toEqual([])
    expect(validateAnnotationCollection(collection)).toEqual([])
    expect(
      validateAnnotationCollection({ '@context': [ANNO_CONTEXT, { x: 'urn:x:' }], id: 'urn:x:c', type: 'AnnotationCollection', total: 0 }),
    ).toEqual([])
  })

  it('tells IRIs from other strings', () => {
    expect(['urn:uuid:6f1c2d3e-4a5b-4c6d-8e7f-901234567890', 'https://example.org/a', 'urn:custodia:record:ab'].every(isIri)).toBe(true)
    expect(['', 'page1', 'urn:uuid:not-a-uuid', 'http://exa mple.org', 'urn:uuid:'].some(isIri)).toBe(false)
  })

  it.each([
    ['an annotation without an id', 'first.items.0.id', undefined, /items\[0\]: an annotation must have exactly one IRI id/],
    ['an annotation without a target', 'first.items.0.target', undefined, /at least one target/],
    ['a TextualBody without a value', 'first.items.0.body.0.value', undefined, /exactly one string value/],
    ['a quote selector without exact', 'first.items.0.target.selector.0.exact', undefined, /exactly one exact/],
    ['a negative position', 'first.items.0.target.selector.1.refinedBy.start', -1, /non-negative integer start/],
    ['a date without a time', 'first.items.0.created', '2025-06-04', /created must be an xsd:dateTime/],
    ['an unknown motivation', 'first.items.0.motivation', 'liking', /unknown motivation/],
    ['a page without an id (§5.2)', 'first.id', undefined, /page\[0\]: must have exactly one IRI id/],
    ['a page not part of the collection', 'first.partOf', 'http://example.org/other', /partOf must name the collection/],
    ['an empty page', 'first.items', [], /one or more annotations/],
    ['a page that starts elsewhere', 'first.startIndex', 5, /startIndex/],
    ['a page pointing to a next page', 'first.next', 'http://example.org/page2', /not in the document/],
    ['a collection without an id', 'id', undefined, /collection: must have exactly one IRI id/],
    ['a collection without the anno context', '@context', 'https://schema.org/', /@context must include/],
    ['a single context in an array', '@context', [ANNO_CONTEXT], /must be a string/],
    ['a wrong total', 'total', 3, /total 3 differs/],
    ['a missing last page', 'last', undefined, /last should name/],
    ['a last page that is not the last', 'last', 'http://example.org/page9', /last must be the page without next/],
    ['annotations but no first page', 'first', undefined, /must have a first page/],
  ] as const)('reports %s', (_name, path, to, problem) => {
    const problems = validateAnnotationCollection(changed(collection, path, to))
    expect(problems.some((p) => problem.test(p))).toBe(true)
  })
})
