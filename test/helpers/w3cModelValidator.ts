// Test helper (Node, pure): a structural check of JSON-LD against the MUST rules of the W3C Web Annotation Data Model
// (https://www.w3.org/TR/annotation-model/) for what our exports contain: Annotation (§3.1), TextualBody (§3.2.4),
// SpecificResource and its selectors (§4.1, §4.2), Agent (§3.3.1), AnnotationCollection (§5.1), AnnotationPage
// (§5.2). Independent of the exporter's own types on purpose: it reads plain JSON and lists every rule broken.

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld'

/** §3.3.5: the motivations the model defines (a body's purpose takes the same values). */
const MOTIVATIONS = new Set([
  'assessing',
  'bookmarking',
  'classifying',
  'commenting',
  'describing',
  'editing',
  'highlighting',
  'identifying',
  'linking',
  'moderating',
  'questioning',
  'replying',
  'tagging',
])
const SELECTOR_TYPES = new Set([
  'FragmentSelector',
  'CssSelector',
  'XPathSelector',
  'TextQuoteSelector',
  'TextPositionSelector',
  'DataPositionSelector',
  'SvgSelector',
  'RangeSelector',
])
// xsd:dateTime (the model's required format for created/modified): date, time, optional fraction and timezone.
const XSD_DATE_TIME =
  /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const isNonNegativeInteger = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0

/** An absolute IRI (scheme, colon, no spaces or characters IRIs exclude); a urn:uuid must hold a well-formed UUID. */
export function isIri(v: unknown): v is string {
  if (typeof v !== 'string' || !/^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i.test(v)) return false
  return !/^urn:uuid:/i.test(v) || UUID.test(v.slice('urn:uuid:'.length))
}

function hasType(node: Json, type: string): boolean {
  return asList(node['type']).includes(type)
}

function checkContext(node: Json, at: string, problems: string[]): void {
  const context = node['@context']
  const values = asList(context)
  if (!values.includes(ANNO_CONTEXT)) problems.push(`${at}: @context must include ${ANNO_CONTEXT}`)
  if (Array.isArray(context) && context.length === 1) problems.push(`${at}: a single @context value must be a string`)
}

function checkSelector(selector: unknown, at: string, problems: string[]): void {
  if (isIri(selector)) return
  if (!isObject(selector)) return void problems.push(`${at}: a selector must be an IRI or an object`)
  const type = selector['type']
  if (typeof type !== 'string' || !SELECTOR_TYPES.has(type)) return void problems.push(`${at}: unknown selector type ${String(type)}`)
  if (type === 'TextQuoteSelector') {
    if (typeof selector['exact'] !== 'string') problems.push(`${at}: TextQuoteSelector must have exactly one exact`)
    for (const key of ['prefix', 'suffix']) {
      if (key in selector && typeof selector[key] !== 'string') problems.push(`${at}: TextQuoteSelector ${key} must be one string`)
    }
  }
  if (type === 'TextPositionSelector') {
    for (const key of ['start', 'end']) {
      if (!isNonNegativeInteger(selector[key]))
        problems.push(`${at}: TextPositionSelector must have exactly one non-negative integer ${key}`)
    }
  }
  if (type === 'FragmentSelector' && typeof selector['value'] !== 'string')
    problems.push(`${at}: FragmentSelector must have exactly one value`)
  if ('refinedBy' in selector) asList(selector['refinedBy']).forEach((s, i) => checkSelector(s, `${at}.refinedBy[${i}]`, problems))
}

function checkTarget(target: unknown, at: string, problems: string[]): void {
  if (isIri(target)) return
  if (!isObject(target)) return void problems.push(`${at}: a target must be an IRI or an object`)
  if ('source' in target || 'selector' in target) {
    // A SpecificResource.
    if (!isIri(target['source'])) problems.push(`${at}: a SpecificResource must have exactly one source IRI`)
    asList(target['selector']).forEach((s, i) => checkSelector(s, `${at}.selector[${i}]`, problems))
  } else if (!isIri(target['id'])) {
    problems.push(`${at}: an external target must have an IRI id`)
  }
}

function checkBody(body: unknown, at: string, problems: string[]): void {
  if (isIri(body)) return
  if (!isObject(body)) return void problems.push(`${at}: a body must be an IRI or an object`)
  if (hasType(body, 'TextualBody') || 'value' in body) {
    if (typeof body['value'] !== 'string') problems.push(`${at}: a TextualBody must have exactly one string value`)
  } else if (!isIri(body['id']) && !('source' in body)) {
    problems.push(`${at}: a body must be textual, an IRI or a resource with an IRI id`)
  }
  for (const purpose of asList(body['purpose'])) {
    if (!(typeof purpose === 'string' && (MOTIVATIONS.has(purpose) || isIri(purpose))))
      problems.push(`${at}: unknown purpose ${String(purpose)}`)
  }
}

function checkAgent(agent: unknown, at: string, problems: string[]): void {
  if (isIri(agent)) return
  if (!isObject(agent)) return void problems.push(`${at}: an agent must be an IRI or an object`)
  if ('id' in agent && !isIri(agent['id'])) problems.push(`${at}: an agent's id must be an IRI`)
  for (const type of asList(agent['type'])) {
    if (!['Person', 'Organization', 'Software'].includes(String(type))) problems.push(`${at}: unknown agent type ${String(type)}`)
  }
}

/** §3.1: one annotation; `standalone` when it is the document's root (then it needs its own @context). */
export function validateAnnotation(node: unknown, at = 'annotation', standalone = false): string[] {
  const problems: string[] = []
  if (!isObject(node)) return [`${at}: an annotation must be an object`]
  if (standalone) checkContext(node, at, problems)
  if (!isIri(node['id'])) problems.push(`${at}: an annotation must have exactly one IRI id`)
  if (!hasType(node, 'Annotation')) problems.push(`${at}: type must include Annotation`)
  const targets = asList(node['target'])
  if (targets.length === 0) problems.push(`${at}: an annotation must have at least one target`)
  targets.forEach((t, i) => checkTarget(t, `${at}.target[${i}]`, problems))
  asList(node['body']).forEach((b, i) => checkBody(b, `${at}.body[${i}]`, problems))
  for (const motivation of asList(node['motivation'])) {
    if (!(typeof motivation === 'string' && (MOTIVATIONS.has(motivation) || isIri(motivation))))
      problems.push(`${at}: unknown motivation ${String(motivation)}`)
  }
  asList(node['creator']).forEach((c, i) => checkAgent(c, `${at}.creator[${i}]`, problems))
  for (const key of ['created', 'modified', 'generated']) {
    if (key in node && !(typeof node[key] === 'string' && XSD_DATE_TIME.test(node[key] as string)))
      problems.push(`${at}: ${key} must be an xsd:dateTime`)
  }
  return problems
}

/**
 * §5.1 and §5.2: a collection document (the root) with its pages. Pages given by IRI only cannot be followed in a
 * file, so when the collection has annotations the first page must be embedded to be checked. Also checks what a
 * reader relies on between the two: `partOf` names the collection, `last` names the last page reached from `first`,
 * `total` equals the annotations found on the pages and `startIndex` counts them.
 */
export function validateAnnotationCollection(doc: unknown): string[] {
  const problems: string[] = []
  if (!isObject(doc)) return ['collection: must be an object']
  checkContext(doc, 'collection', problems)
  if (!isIri(doc['id'])) problems.push('collection: must have exactly one IRI id')
  if (!hasType(doc, 'AnnotationCollection')) problems.push('collection: type must include AnnotationCollection')
  for (const label of asList(doc['label'])) if (typeof label !== 'string') problems.push('collection: a label must be a string')
  if ('total' in doc && !isNonNegativeInteger(doc['total'])) problems.push('collection: total must be a non-negative integer')
  if ('last' in doc && !isIri(doc['last'])) problems.push('collection: last must be the IRI of the last page')

  const first = doc['first']
  if (first === undefined) {
    if (doc['total'] !== 0) problems.push('collection: a collection with annotations must have a first page (and a total of 0 otherwise)')
    if ('last' in doc) problems.push('collection: a collection without pages has no last page')
    return problems
  }
  if (!isObject(first)) return [...problems, 'collection: the first page must be embedded to be checked']

  let page: Json | undefined = first
  let count = 0
  let lastSeen: unknown
  for (let index = 0; page !== undefined; index++) {
    const at = `page[${index}]`
    if ('@context' in page && index === 0) problems.push(`${at}: an embedded page should not repeat @context`)
    if (!isIri(page['id'])) problems.push(`${at}: must have exactly one IRI id`)
    if (!hasType(page, 'AnnotationPage')) problems.push(`${at}: type must include AnnotationPage`)
    const partOf = isObject(page['partOf']) ? page['partOf']['id'] : page['partOf']
    if (partOf !== doc['id']) problems.push(`${at}: partOf must name the collection`)
    if ('startIndex' in page && (!isNonNegativeInteger(page['startIndex']) || page['startIndex'] !== count)) {
      problems.push(`${at}: startIndex must be the position of its first annotation in the collection (${count})`)
    }
    const items = page['items']
    if (!Array.isArray(items) || items.length === 0) problems.push(`${at}: items must list one or more annotations`)
    for (const [i, item] of (Array.isArray(items) ? items : []).entries()) {
      if (!isIri(item)) problems.push(...validateAnnotation(item, `${at}.items[${i}]`))
      count++
    }
    lastSeen = page['id']
    const next = page['next']
    if (next === undefined) break
    if (!isIri(next)) problems.push(`${at}: next must be the IRI of the following page`)
    // A following page given by IRI cannot be fetched from a file: report it, as nothing more can be checked.
    problems.push(`${at}: the following page ${String(next)} is not in the document`)
    page = undefined
  }
  if (doc['last'] === undefined) problems.push('collection: last should name the last page (the export promises it)')
  else if (doc['last'] !== lastSeen) problems.push('collection: last must be the page without next')
  if ('total' in doc && doc['total'] !== count)
    problems.push(`collection: total ${String(doc['total'])} differs from the ${count} annotations on its pages`)
  return problems
}
