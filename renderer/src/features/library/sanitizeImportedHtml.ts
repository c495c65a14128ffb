// Renderer: sanitises the HTML an import produced before the editor sees it. The importer whitelists already, but
// the HTML came from an untrusted file, so it is cleaned again here, where it would run (defence in depth).
import DOMPurify from 'dompurify'

// Anything that can run code, load something, or submit data; the editor schema drops the remaining unknowns.
const FORBID_TAGS = [
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'link',
  'meta',
  'base',
  'svg',
  'math',
  'noscript',
  'template',
  'video',
  'audio',
  'source',
  'track',
  'applet',
]
const FORBID_ATTR = ['style', 'srcset', 'action', 'formaction', 'background', 'poster', 'xlink:href', 'ping', 'target']
// Links may only leave to the web or mail; javascript:, data:, vbscript:, file: and relative tricks are dropped.
const ALLOWED_URI_REGEXP = /^(?:https?:|mailto:)/i

let hooked = false

function installHooks(): void {
  if (hooked) return
  hooked = true
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'IMG') {
      // Only inline raster images: a remote src would be a tracking request (and the CSP would log an error).
      const src = node.getAttribute('src') ?? ''
      if (!/^data:image\/(?:png|jpe?g|gif|webp);/i.test(src)) node.remove()
    }
    if (node.nodeName === 'A') {
      node.setAttribute('rel', 'noopener noreferrer nofollow')
    }
  })
}

/** Returns HTML safe to hand to the editor: no script/style/frames/forms, no on* attributes, safe links only. */
export function sanitizeImportedHtml(html: string): string {
  installHooks()
  return DOMPurify.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOWED_URI_REGEXP,
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    WHOLE_DOCUMENT: false,
    RETURN_TRUSTED_TYPE: false,
  })
}
