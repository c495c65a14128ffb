// Unit (Node): the window's security posture, asserted exactly — options, CSP, sender and navigation checks,
// and the app-scheme file mapping that must never leave the renderer folder.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_ORIGIN,
  buildContentSecurityPolicy,
  buildMetaContentSecurityPolicy,
  buildSecurityHeaders,
  buildWindowOptions,
  isAllowedNavigation,
  isTrustedSenderUrl,
  resolveAppAsset,
} from '../../../electron/main/security'

describe('buildWindowOptions', () => {
  it('turns on every isolation the Electron checklist asks for', () => {
    const options = buildWindowOptions({ preloadPath: '/app/out/preload/index.cjs', isPackaged: true })
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    })
  })

  it('allows devtools only in unpackaged (developer) builds', () => {
    expect(buildWindowOptions({ preloadPath: 'p', isPackaged: false }).webPreferences?.devTools).toBe(true)
  })
})

describe('Content-Security-Policy', () => {
  it('is exactly the strict policy we ship', () => {
    expect(buildContentSecurityPolicy()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; media-src 'none'; object-src 'none'; frame-src 'self' blob:; worker-src 'self'; " +
        "child-src 'self' blob:; manifest-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
  })

  it('never allows eval, inline script or a remote origin', () => {
    const csp = buildContentSecurityPolicy()
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toMatch(/https?:|\*|wss?:/)
  })

  it('drops only frame-ancestors for the meta-tag copy', () => {
    expect(buildMetaContentSecurityPolicy()).toBe(buildContentSecurityPolicy().replace("; frame-ancestors 'none'", ''))
  })

  it('is sent with every response together with the other hardening headers', () => {
    expect(buildSecurityHeaders()).toMatchObject({
      'Content-Security-Policy': buildContentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    })
  })
})

describe('sender and navigation checks', () => {
  it('trusts only the app origin (and the dev server when one is configured)', () => {
    expect(isTrustedSenderUrl(`${APP_ORIGIN}/index.html`)).toBe(true)
    expect(isTrustedSenderUrl('app://evil/index.html')).toBe(false)
    expect(isTrustedSenderUrl('file:///etc/passwd')).toBe(false)
    expect(isTrustedSenderUrl('https://custodia/index.html')).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5173/')).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isTrustedSenderUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isTrustedSenderUrl(undefined)).toBe(false)
    expect(isTrustedSenderUrl('not a url')).toBe(false)
  })

  it('blocks navigation away from the app', () => {
    expect(isAllowedNavigation(`${APP_ORIGIN}/index.html#/library`)).toBe(true)
    expect(isAllowedNavigation('https://example.org/')).toBe(false)
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false)
  })
})

describe('resolveAppAsset', () => {
  const root = '/srv/out/renderer'
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppAsset(root, `${APP_ORIGIN}/index.html`)).toBe(join(root, 'index.html'))
    expect(resolveAppAsset(root, `${APP_ORIGIN}/assets/index-abc.js`)).toBe(join(root, 'assets/index-abc.js'))
    expect(resolveAppAsset(root, `${APP_ORIGIN}/`)).toBe(join(root, 'index.html'))
    expect(resolveAppAsset(root, `${APP_ORIGIN}/library/letters`)).toBe(join(root, 'index.html'))
  })

  it('refuses every way out of the folder and foreign hosts', () => {
    for (const url of [
      `${APP_ORIGIN}/../../etc/passwd.txt`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd.txt`,
      `${APP_ORIGIN}/assets/..%2f..%2f..%2fsecret.js`,
      `${APP_ORIGIN}/a%5c..%5c..%5csecret.js`,
      `${APP_ORIGIN}/a%00.js`,
      'app://other/index.html',
      'file:///etc/passwd',
      `${APP_ORIGIN}/%E0%A4%A.js`,
    ]) {
      const resolved = resolveAppAsset(root, url)
      if (resolved !== null) expect(resolved.startsWith(`${root}/`), url).toBe(true)
    }
    expect(resolveAppAsset(root, `${APP_ORIGIN}/assets/..%2f..%2f..%2fsecret.js`)).toBeNull()
    expect(resolveAppAsset(root, 'app://other/index.html')).toBeNull()
    expect(resolveAppAsset(root, `${APP_ORIGIN}/a%00.js`)).toBeNull()
  })
})
