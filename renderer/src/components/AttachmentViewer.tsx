// Renderer: an attachment opened inside the app — a PDF drawn page by page with pdf.js, a picture, or text (a Word
// file's text too). Main decrypts the file in memory and says what it is from its bytes; PDFs and pictures load from
// main's in-memory route on our own origin (/attachment-view/<token>), so the strict CSP needs nothing added and no
// plaintext file is ever written. pdf.js runs with eval and scripting off: a PDF is a partner's file, not ours.
import { useEffect, useRef, useState } from 'react'
import type { AttachmentContent, AttachmentView } from '../../../shared/ipc/channels/libraryChannels'
import { formatSize } from '../i18n/format'
import { t } from '../i18n/intl'

/** Pages drawn at most: a 2,000-page scan would otherwise hold the window for minutes. */
const MAX_PAGES_SHOWN = 50
/** CSS pixels across a page at 100 %. */
const PAGE_WIDTH = 760

async function loadPdfJs() {
  const pdfjs = await import('pdfjs-dist')
  // The worker is built with the app and served from 'self' (worker-src 'self').
  if (!pdfjs.GlobalWorkerOptions.workerPort) {
    pdfjs.GlobalWorkerOptions.workerPort = new Worker(new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url), { type: 'module' })
  }
  return pdfjs
}

function PdfPages({ url, title }: { url: string; title: string }) {
  const container = useRef<HTMLDivElement>(null)
  const [state, setState] = useState<{ pages: number; shown: number } | 'loading' | 'failed'>('loading')

  useEffect(() => {
    const pages = container.current
    let cancelled = false
    let destroy: (() => void) | null = null
    void (async () => {
      try {
        const pdfjs = await loadPdfJs()
        const data = new Uint8Array(await (await fetch(url)).arrayBuffer())
        const task = pdfjs.getDocument({ data, isEvalSupported: false, enableXfa: false, disableFontFace: false, stopAtErrors: false })
        destroy = () => void task.destroy()
        const pdf = await task.promise
        const shown = Math.min(pdf.numPages, MAX_PAGES_SHOWN)
        if (cancelled) return
        setState({ pages: pdf.numPages, shown })
        for (let number = 1; number <= shown && !cancelled; number++) {
          const page = await pdf.getPage(number)
          const unscaled = page.getViewport({ scale: 1 })
          const scale = (PAGE_WIDTH / unscaled.width) * (window.devicePixelRatio || 1)
          const viewport = page.getViewport({ scale })
          const canvas = document.createElement('canvas')
          canvas.width = Math.floor(viewport.width)
          canvas.height = Math.floor(viewport.height)
          canvas.style.width = `${PAGE_WIDTH}px`
          canvas.setAttribute('role', 'img')
          canvas.setAttribute('aria-label', `${title}, page ${number} of ${pdf.numPages}`)
          canvas.className = 'viewer-page'
          pages?.appendChild(canvas)
          await page.render({ canvas, viewport }).promise
        }
      } catch {
        if (!cancelled) setState('failed')
      }
    })()
    return () => {
      cancelled = true
      destroy?.()
      // Drawn pages are plaintext pixels: drop them with the viewer.
      pages?.replaceChildren()
    }
  }, [url, title])

  return (
    <>
      {state === 'loading' && <p className="hint">{t('components.attachmentViewer.opening')}</p>}
      {state === 'failed' && (
        <p className="error" role="alert">
          {t('components.attachmentViewer.thisPdfCouldNot')}
        </p>
      )}
      {typeof state === 'object' && state.shown < state.pages && (
        <p className="hint" data-testid="viewer-cut">
          {t('components.attachmentViewer.showingTheFirstOf', { shown: state.shown, pages: state.pages })}
        </p>
      )}
      <div ref={container} className="viewer-pages" data-testid="viewer-pdf" />
    </>
  )
}

function ViewerBody({ attachment, content }: { attachment: AttachmentView; content: AttachmentContent }) {
  switch (content.kind) {
    case 'pdf':
      return <PdfPages url={content.url} title={attachment.filename} />
    case 'image':
      return <img className="viewer-image" src={content.url} alt={attachment.filename} data-testid="viewer-image" />
    case 'text':
      return (
        <>
          {content.source === 'docx' && <p className="hint">{t('components.attachmentViewer.theTextOfThis')}</p>}
          {content.truncated && <p className="hint">{t('components.attachmentViewer.thisFileIsLong')}</p>}
          <pre className="viewer-text" data-testid="viewer-text" tabIndex={0}>
            {content.text}
          </pre>
        </>
      )
    case 'unsupported':
      return (
        <p className="hint" data-testid="viewer-unsupported">
          {content.reason}
        </p>
      )
  }
}

/**
 * The viewer, as a modal dialog over the page: Escape or Close shuts it and focus goes back where it was (the
 * dialog element does both). `onSaveCopy` offers the unencrypted copy the list offers too, with its warning.
 */
export function AttachmentViewer({
  attachment,
  content,
  onClose,
  onSaveCopy,
}: {
  attachment: AttachmentView
  content: AttachmentContent
  onClose: () => void
  onSaveCopy: () => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal?.()
    return () => element?.close?.()
  }, [])
  return (
    <dialog ref={dialog} className="viewer" aria-labelledby="viewer-title" onClose={onClose} data-testid="attachment-viewer">
      <header className="viewer-bar">
        <h2 id="viewer-title">{attachment.filename}</h2>
        <span className="hint">{formatSize(attachment.size)}</span>
        <button type="button" onClick={onSaveCopy}>
          {t('components.attachmentViewer.saveACopy')}
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('components.attachmentViewer.close')}
        </button>
      </header>
      <div className="viewer-body">
        <ViewerBody attachment={attachment} content={content} />
      </div>
    </dialog>
  )
}
