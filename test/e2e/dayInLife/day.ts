// E2E helper (test process): the "day in the life" suite's one place for what must hold after every step a user takes —
// a screenshot of the window under test-results/day-in-life/, no technical words in anything the user reads, nothing
// wider than the window, no text box too narrow to use, every value typed so far still there, and axe-core clean of
// serious and critical findings (dialogs included: axe runs on whatever is open at the time).
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { RESULTS_DIR, startHarness, type Harness } from '../harness'
import { seriousAxeFindings } from '../axe'

export const DAY_DIR = join(RESULTS_DIR, 'day-in-life')

/** The two window sizes every role's day runs at. */
export const WINDOW_SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const

/** Words a developer wrote for a developer: never in anything the app shows. */
const CODE_WORDS = /\bexpected\b|Invalid request|stanza|header:|\bundefined\b|\bNaN\b|\[object/

/** Outside messages, user content may contain "expected" (a letter's prose); the rest never appear in the app's own text. */
const CODE_WORDS_ANYWHERE = /Invalid request|stanza|header:|\bundefined\b|\bNaN\b|\[object/

/** Where the app puts what it tells the user: errors, notices, field problems, status lines, dialogs. */
const MESSAGE_SELECTOR = '.error, .notice, .hint, [role="alert"], [role="status"], [role="dialog"], [data-testid$="error"], .toast'

/** What the page shows that a user would read as a technical message, and where. */
function findCodeWords(page: Page): Promise<string[]> {
  return page.evaluate(
    ({ messageSelector, strict, anywhere }) => {
      const strictRe = new RegExp(strict)
      const anywhereRe = new RegExp(anywhere)
      const out: string[] = []
      const visible = (el: Element) => {
        const r = el.getBoundingClientRect()
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
      }
      for (const el of document.querySelectorAll<HTMLElement>(messageSelector)) {
        if (!visible(el)) continue
        const text = el.innerText
        if (strictRe.test(text)) out.push(`${el.tagName.toLowerCase()}.${el.className}: ${text.slice(0, 200)}`)
      }
      const body = document.body.innerText
      const m = anywhereRe.exec(body)
      if (m) out.push(`page text: …${body.slice(Math.max(0, m.index - 80), m.index + 80)}…`)
      return out
    },
    { messageSelector: MESSAGE_SELECTOR, strict: CODE_WORDS.source, anywhere: CODE_WORDS_ANYWHERE.source },
  )
}

/**
 * What runs off the window sideways: the page itself scrolling, or a visible element whose right edge is past the
 * window and that no scrolling or clipping ancestor inside the window holds (content in a scroll pane is not overflow).
 */
function findOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth
    const out: string[] = []
    const scroller = document.scrollingElement ?? document.documentElement
    if (scroller.scrollWidth > width) out.push(`page scrolls sideways: ${scroller.scrollWidth} > ${width}`)
    const held = (el: Element): boolean => {
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) return true
      }
      return false
    }
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect()
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(el).visibility === 'hidden') continue
      if (rect.right > width + 1 && !held(el)) {
        out.push(`${el.tagName.toLowerCase()}.${String(el.className)} right=${Math.round(rect.right)} > ${width}`)
      }
    }
    return out
  })
}

/**
 * Content cut off sideways inside a pane: a visible element sticking out past the right edge of its nearest clipping
 * or scrolling ancestor, which holds more than it shows (the window does not overflow, but the user cannot read it).
 */
function findClippedSideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = new Set<string>()
    for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
      const rect = el.getBoundingClientRect()
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(el).visibility === 'hidden') continue
      let clip: HTMLElement | null = el.parentElement
      while (clip && getComputedStyle(clip).overflowX === 'visible') clip = clip.parentElement
      if (!clip || clip === document.body || clip === document.documentElement) continue
      if (clip.scrollWidth <= clip.clientWidth + 1) continue
      const inner = clip.getBoundingClientRect().left + clip.clientLeft + clip.clientWidth
      if (rect.right > inner + 1)
        out.add(
          `${clip.tagName.toLowerCase()}.${String(clip.className)} cuts ${el.tagName.toLowerCase()}.${String(el.className)} (${Math.round(rect.right - inner)} px)`,
        )
    }
    return [...out].slice(0, 10)
  })
}

/** Visible text boxes (single-line inputs and text areas) narrower than `least` px, by label. */
function findNarrowTextBoxes(page: Page, least: number): Promise<string[]> {
  return page.evaluate((min) => {
    const notText = new Set(['checkbox', 'radio', 'file', 'range', 'color', 'hidden', 'button', 'submit', 'reset', 'image'])
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
      if (el instanceof HTMLInputElement && notText.has(el.type)) continue
      const rect = el.getBoundingClientRect()
      // Zero-size or 1-px boxes are hidden ones (visually-hidden helpers), not boxes anyone types in.
      if (rect.width <= 1 || rect.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue
      if (rect.width < min) {
        const label = el.labels?.[0]?.textContent?.trim() ?? el.getAttribute('aria-label') ?? el.id ?? el.name
        out.push(`${label}: ${Math.round(rect.width)} px`)
      }
    }
    return out
  }, least)
}

/** Errors on the page that the user cannot see: outside the window (e.g. at the top of a long form scrolled down). */
function findHiddenAlerts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>('[role="alert"]')) {
      const text = el.innerText.trim()
      if (!text) continue
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0) continue
      if (r.bottom <= 0 || r.top >= window.innerHeight) out.push(text.slice(0, 200))
    }
    return out
  })
}

/** Where the section (the workspace's main area) stops short of the window's bottom, leaving it blank below. */
function findShortMain(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector('.workspace > main')
    if (!main) return []
    const bottom = main.getBoundingClientRect().bottom
    return Math.abs(bottom - window.innerHeight) > 1 ? [`the section ends at ${Math.round(bottom)} px of ${window.innerHeight}`] : []
  })
}

/**
 * Short values (names, titles, places: up to 40 characters) that their box cuts off, as "Prime Minister of Norwa":
 * a box must be wide enough for what people put in it.
 */
function findCutValues(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLInputElement>('input[type="text"], input:not([type]), input[type="email"]')) {
      const rect = el.getBoundingClientRect()
      if (rect.width <= 1 || rect.height <= 1 || el.value.length === 0 || el.value.length > 40) continue
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.id}: "${el.value}"`)
    }
    return out
  })
}

interface Typed {
  what: string
  locator: Locator
  value: string
  /** 'value' for inputs, 'text' for rich text (the typed text must be part of it). */
  kind: 'value' | 'text'
}

/**
 * One role's day at one window size. `fill`/`type` enter text and remember it; `step` takes the screenshot and runs
 * every check, including that each remembered field that is on screen again still holds what was typed.
 */
export class Day {
  private n = 0
  private readonly typed: Typed[] = []

  constructor(
    readonly page: Page,
    private readonly role: string,
    private readonly size: { width: number; height: number },
  ) {}

  static async start(page: Page, role: string, size: { width: number; height: number }): Promise<Day> {
    await page.setViewportSize(size)
    mkdirSync(DAY_DIR, { recursive: true })
    const prefix = `${role}-${size.width}x${size.height}-`
    for (const old of readdirSync(DAY_DIR)) if (old.startsWith(prefix)) rmSync(join(DAY_DIR, old))
    return new Day(page, role, size)
  }

  /** Fills a field and remembers what it must keep showing. */
  async fill(what: string, locator: Locator, value: string): Promise<void> {
    await locator.fill(value)
    this.remember(what, locator, value, 'value')
  }

  /** Types into a rich-text box (after clicking into it) and remembers that its text contains what was typed. */
  async type(what: string, locator: Locator, text: string): Promise<void> {
    await locator.click()
    await this.page.keyboard.type(text)
    this.remember(what, locator, text, 'text')
  }

  remember(what: string, locator: Locator, value: string, kind: 'value' | 'text' = 'value'): void {
    const at = this.typed.findIndex((t) => t.what === what)
    if (at >= 0) this.typed.splice(at, 1)
    this.typed.push({ what, locator, value, kind })
  }

  /** Stops checking fields of a record the user has moved on from for good (e.g. another dossier opens the same form). */
  forget(prefix: string): void {
    for (let i = this.typed.length - 1; i >= 0; i--) if (this.typed[i]!.what.startsWith(prefix)) this.typed.splice(i, 1)
  }

  /** Asserts that every field named (by its `what` prefix) is on screen now with what was typed: after coming back. */
  async expectBack(prefix: string): Promise<void> {
    const fields = this.typed.filter((t) => t.what.startsWith(prefix))
    expect(fields.length, `fields remembered under "${prefix}"`).toBeGreaterThan(0)
    for (const t of fields) await expect.poll(() => t.locator.count(), { message: `${t.what} is on screen again` }).toBe(1)
    await this.checkTyped()
  }

  /** Each remembered field that is on screen shows what was typed into it. */
  private async checkTyped(): Promise<void> {
    const lost: string[] = []
    for (const t of this.typed) {
      const count = await t.locator.count()
      if (count === 0) continue
      expect(count, `${t.what}: one field`).toBe(1)
      if (!(await t.locator.isVisible())) continue
      const now = t.kind === 'value' ? await t.locator.inputValue() : ((await t.locator.textContent()) ?? '')
      if (t.kind === 'value' ? now !== t.value : !now.includes(t.value)) lost.push(`${t.what}: typed "${t.value}", shows "${now}"`)
    }
    expect(lost, 'typed text lost').toEqual([])
  }

  /** A step of the day: screenshot, then every check. Returns the screenshot's path. */
  async step(name: string): Promise<string> {
    this.n += 1
    const file = join(DAY_DIR, `${this.role}-${this.size.width}x${this.size.height}-${String(this.n).padStart(2, '0')}-${name}.png`)
    await this.page.screenshot({ path: file })
    const where = `${this.role} at ${this.size.width}×${this.size.height}, step ${this.n} "${name}"`
    expect(await findCodeWords(this.page), `${where}: technical words on screen`).toEqual([])
    expect(await findShortMain(this.page), `${where}: the window is not filled`).toEqual([])
    expect(await findHiddenAlerts(this.page), `${where}: an error outside the window`).toEqual([])
    expect(await findOverflow(this.page), `${where}: wider than the window`).toEqual([])
    expect(await findClippedSideways(this.page), `${where}: cut off sideways in a pane`).toEqual([])
    expect(await findCutValues(this.page), `${where}: values cut off in their box`).toEqual([])
    expect(await findNarrowTextBoxes(this.page, 120), `${where}: text boxes under 120 px`).toEqual([])
    await this.checkTyped()
    expect(await seriousAxeFindings(this.page), `${where}: axe`).toEqual([])
    return file
  }
}

/**
 * One role's day at one size with its own browser and backend (a fresh vault each time): on failure the window is
 * saved as …-FAILED.png beside the steps, and everything is closed either way.
 */
export async function runDay(
  role: string,
  size: { width: number; height: number },
  body: (h: Harness, day: Day) => Promise<void>,
): Promise<void> {
  const h = await startHarness()
  try {
    const day = await Day.start(h.page, role, size)
    try {
      await body(h, day)
    } catch (err) {
      await h.page.screenshot({ path: join(DAY_DIR, `${role}-${size.width}x${size.height}-FAILED.png`) }).catch(() => undefined)
      const said = await h.page
        .locator('[role="alert"], [role="status"], .error')
        .allTextContents()
        .catch(() => [])
      console.info(
        `${role} at ${size.width}×${size.height} failed; the page said:`,
        said.filter((t) => t.trim()),
      )
      throw err
    }
  } finally {
    await h.close()
  }
}

/** Asserts that what the user is told after an action is inside the window, not above or below it. */
export async function expectInView(what: string, locator: Locator): Promise<void> {
  const box = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect()
    return { top: r.top, bottom: r.bottom, height: window.innerHeight }
  })
  expect(box.top >= 0 && box.bottom <= box.height, `${what} is in the window (top ${box.top}, bottom ${box.bottom})`).toBe(true)
}
