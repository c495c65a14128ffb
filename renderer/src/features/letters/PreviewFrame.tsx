// Renderer: the live preview — the letter HTML main rendered, in a sandboxed frame (no scripts, opaque origin) from
// our own origin, scaled down to fit the column so a whole A4 line is visible (the page is wider than the column).
import { useEffect, useRef, useState } from 'react'

/** Width the letter is laid out at inside the frame: an A4/Letter sheet (≈ 794–816 px) plus the grey margin. */
const SHEET_PX = 860

export function PreviewFrame({ url, title, testId }: { url: string; title: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null)
  const [scale, setScale] = useState(1)

  useEffect(() => {
    const element = box.current
    if (!element || typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? SHEET_PX
      setScale(Math.min(1, width / SHEET_PX))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  return (
    <div className="preview-box" ref={box}>
      <iframe
        title={title}
        sandbox=""
        src={url}
        className="preview-frame"
        data-testid={testId}
        style={{ width: `${SHEET_PX}px`, height: `${Math.round(100 / scale)}%`, transform: `scale(${scale})` }}
      />
    </div>
  )
}
