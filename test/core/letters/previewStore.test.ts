// Tests (core, Node): the live-preview store (tokens, capacity, clearing, malformed paths) and the headers the
// preview route is served with.
import { describe, expect, it } from 'vitest'
import { LetterPreviewStore, isLetterPreviewPath, readPreviewToken } from '../../../electron/core/letters/previewStore'
import { buildLetterFontHeaders, buildLetterPreviewHeaders, buildSecurityHeaders } from '../../../electron/main/security'

describe('LetterPreviewStore', () => {
  it('serves stored HTML by its path and nothing else', () => {
    const store = new LetterPreviewStore()
    const url = store.putPreview('<p>one</p>')
    expect(url).toMatch(/^\/letter-preview\/[0-9a-f]{32}$/)
    expect(store.getPreview(url)).toBe('<p>one</p>')
    expect(store.getPreview(`${url}?v=2`)).toBe('<p>one</p>')
    expect(store.getPreview('/letter-preview/' + '0'.repeat(32))).toBeNull()
  })

  it('gives every preview a different unguessable token', () => {
    const store = new LetterPreviewStore(1000)
    const urls = new Set(Array.from({ length: 200 }, (_, i) => store.putPreview(String(i))))
    expect(urls.size).toBe(200)
  })

  it('keeps only the newest N, dropping the oldest first', () => {
    const store = new LetterPreviewStore(3)
    const urls = ['a', 'b', 'c', 'd', 'e'].map((html) => store.putPreview(html))
    expect(store.size).toBe(3)
    expect(urls.map((u) => store.getPreview(u))).toEqual([null, null, 'c', 'd', 'e'])
  })

  it('forgets everything on clear (lock)', () => {
    const store = new LetterPreviewStore()
    const url = store.putPreview('<p>secret draft</p>')
    store.clearPreviews()
    expect(store.size).toBe(0)
    expect(store.getPreview(url)).toBeNull()
  })

  it('refuses malformed and escaping paths', () => {
    for (const bad of [
      '/letter-preview/',
      '/letter-preview/../index.html',
      '/letter-preview/ABCDEF0123456789ABCDEF0123456789',
      '/letter-preview/0123456789abcdef0123456789abcdef/x',
      '/letter-preview/0123456789abcdef0123456789abcde',
      '/index.html',
    ]) {
      expect(readPreviewToken(bad)).toBeNull()
    }
    expect(isLetterPreviewPath('/letter-preview/anything')).toBe(true)
    expect(isLetterPreviewPath('/index.html')).toBe(false)
  })
})

describe('buildLetterPreviewHeaders', () => {
  it('allows no script, no remote load, only inline styles, data: images and fonts from our origin or data:, sandboxed', () => {
    const headers = buildLetterPreviewHeaders()
    const csp = headers['Content-Security-Policy']!
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]))
    expect(directives.get('default-src')).toBe("'none'")
    expect(directives.get('style-src')).toBe("'unsafe-inline'")
    expect(directives.get('font-src')).toBe("'self' data:")
    expect(directives.get('img-src')).toBe('data:')
    expect(directives.get('frame-ancestors')).toBe("'self'")
    expect(directives.has('sandbox')).toBe(true)
    // Sandboxed with our origin kept (so its fonts come from Chromium's cache), and nothing else allowed.
    expect(directives.get('sandbox')).toBe('allow-same-origin')
    expect(directives.has('script-src')).toBe(false)
    expect(csp).not.toMatch(/https?:|\*|unsafe-eval|allow-scripts/)
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8')
    expect(headers['Cache-Control']).toBe('no-store')
    expect(headers['X-Content-Type-Options']).toBe('nosniff')
  })

  it('serves the letter fonts as public, unchanging files that run nothing', () => {
    const headers = buildLetterFontHeaders()
    expect(headers['Content-Type']).toBe('font/ttf')
    expect(headers['Cache-Control']).toBe('public, max-age=31536000, immutable')
    expect(headers['X-Content-Type-Options']).toBe('nosniff')
    expect(headers['Content-Security-Policy']).toBe("default-src 'none'; sandbox")
  })

  it('differs from the app page policy, which forbids framing altogether', () => {
    expect(buildLetterPreviewHeaders()['Content-Security-Policy']).not.toBe(buildSecurityHeaders()['Content-Security-Policy'])
    expect(buildSecurityHeaders()['Content-Security-Policy']).toContain("frame-ancestors 'none'")
  })
})
