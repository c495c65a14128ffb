// Renderer: the rich-text editor (TipTap 3 / ProseMirror) with its toolbar. Its schema (StarterKit) is the last
// filter for untrusted content: whatever it has no node or mark for is dropped when content is loaded.
import { useEffect, useState } from 'react'
import { EditorContent, useEditor, type Editor, type Extensions, type JSONContent } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { projectDocument } from '../annotations/textProjection'
import { convertHtml } from '../../../../shared/library/convertHtml'
import { t } from '../../i18n/intl'

export type EditorInitialContent = { json: JSONContent } | { html: string } | { text: string }

/** Plain text → editor JSON: paragraphs on blank lines, hard breaks on single newlines. */
export function convertTextToContent(text: string): JSONContent {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== '')
  return {
    type: 'doc',
    content: paragraphs.map((p) => ({
      type: 'paragraph',
      content: p
        .split('\n')
        .flatMap((line, i) => [...(i > 0 ? [{ type: 'hardBreak' }] : []), ...(line ? [{ type: 'text', text: line }] : [])]),
    })),
  }
}

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i

function ToolbarButton({
  editor,
  label,
  shortcut,
  active,
  run,
}: {
  editor: Editor
  label: string
  shortcut?: string
  active: boolean
  run: (e: Editor) => void
}) {
  return (
    <button
      type="button"
      className={active ? 'tool active' : 'tool'}
      aria-pressed={active}
      title={shortcut ? `${label} (${shortcut})` : label}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => run(editor)}
    >
      {label}
    </button>
  )
}

function Toolbar({ editor, onAskLink }: { editor: Editor; onAskLink: () => void }) {
  const chain = () => editor.chain().focus()
  return (
    <div className="toolbar" role="toolbar" aria-label={t('library.richTextEditor.formatting')}>
      <ToolbarButton
        editor={editor}
        label="H1"
        active={editor.isActive('heading', { level: 1 })}
        run={() => chain().toggleHeading({ level: 1 }).run()}
      />
      <ToolbarButton
        editor={editor}
        label="H2"
        active={editor.isActive('heading', { level: 2 })}
        run={() => chain().toggleHeading({ level: 2 }).run()}
      />
      <ToolbarButton
        editor={editor}
        label="H3"
        active={editor.isActive('heading', { level: 3 })}
        run={() => chain().toggleHeading({ level: 3 }).run()}
      />
      <span className="sep" aria-hidden="true" />
      <ToolbarButton
        editor={editor}
        label={t('library.richTextEditor.bold')}
        shortcut="Ctrl+B"
        active={editor.isActive('bold')}
        run={() => chain().toggleBold().run()}
      />
      <ToolbarButton
        editor={editor}
        label={t('library.richTextEditor.italic')}
        shortcut="Ctrl+I"
        active={editor.isActive('italic')}
        run={() => chain().toggleItalic().run()}
      />
      <span className="sep" aria-hidden="true" />
      <ToolbarButton
        editor={editor}
        label={t('library.richTextEditor.list')}
        active={editor.isActive('bulletList')}
        run={() => chain().toggleBulletList().run()}
      />
      <ToolbarButton
        editor={editor}
        label={t('library.richTextEditor.1List')}
        active={editor.isActive('orderedList')}
        run={() => chain().toggleOrderedList().run()}
      />
      <ToolbarButton
        editor={editor}
        label={t('library.richTextEditor.quote')}
        active={editor.isActive('blockquote')}
        run={() => chain().toggleBlockquote().run()}
      />
      <ToolbarButton editor={editor} label={t('library.richTextEditor.link')} active={editor.isActive('link')} run={() => onAskLink()} />
    </div>
  )
}

export function RichTextEditor({
  initial,
  onChange,
  label,
  extensions = [],
  onReady,
}: {
  initial: EditorInitialContent
  onChange: (value: { json: JSONContent; text: string }) => void
  label: string
  /** More TipTap extensions (e.g. annotation highlights); read once, when the editor is created. */
  extensions?: Extensions
  /** Called with the editor once it exists, and with null when it goes away. */
  onReady?: (editor: Editor | null) => void
}) {
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        // Links open nowhere from inside the editor (a click in a vault document must not reach the network).
        link: {
          openOnClick: false,
          autolink: false,
          linkOnPaste: true,
          protocols: ['http', 'https', 'mailto'],
          isAllowedUri: (url) => SAFE_LINK.test(url),
        },
      }),
      ...extensions,
    ],
    // The CSP (style-src 'self') forbids the <style> tag TipTap would inject; styles.css carries the rules instead.
    injectCSS: false,
    shouldRerenderOnTransaction: true,
    content: 'json' in initial ? initial.json : 'html' in initial ? initial.html : convertTextToContent(initial.text),
    editorProps: {
      attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'prose' },
      // Pasted HTML comes from anywhere (a web page, a mail). Any DOM parse in this page, even of an inert document,
      // makes Chromium check its on* handlers against the CSP, so it is simplified first by a parser that builds no
      // DOM: structure, emphasis and safe links stay; handlers, scripts, styles and remote images never reach a parse.
      transformPastedHTML: (html) => convertHtml(html).html,
    },
    // The saved `text` is this projection: annotation offsets are mapped back onto the editor with the same walk.
    onUpdate: ({ editor: e }) => onChange({ json: e.getJSON(), text: projectDocument(e.state.doc).text }),
  })

  const [linkDraft, setLinkDraft] = useState<string | null>(null)
  const [linkError, setLinkError] = useState<string | null>(null)

  useEffect(() => () => editor?.destroy(), [editor])
  useEffect(() => {
    onReady?.(editor)
    return () => onReady?.(null)
  }, [editor, onReady])

  // An inline form, not window.prompt: Electron renderers have no prompt().
  const applyLink = (url: string) => {
    if (!editor) return
    const href = url.trim()
    if (href === '') editor.chain().focus().extendMarkRange('link').unsetLink().run()
    else if (SAFE_LINK.test(href)) editor.chain().focus().extendMarkRange('link').setLink({ href }).run()
    else {
      setLinkError(t('library.richTextEditor.linksMustStartWith'))
      return
    }
    setLinkDraft(null)
    setLinkError(null)
  }

  if (!editor) return null
  return (
    <div className="richtext">
      <Toolbar
        editor={editor}
        onAskLink={() => setLinkDraft((editor.getAttributes('link')['href'] as string | undefined) ?? t('library.richTextEditor.https'))}
      />
      {linkDraft !== null && (
        <form
          className="linkform"
          onSubmit={(e) => {
            e.preventDefault()
            applyLink(linkDraft)
          }}
        >
          <label htmlFor="link-href">{t('library.richTextEditor.linkAddress')}</label>
          <input
            id="link-href"
            autoFocus
            value={linkDraft}
            onChange={(e) => setLinkDraft(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setLinkDraft(null)}
          />
          <button type="submit">{t('library.richTextEditor.apply')}</button>
          <button type="button" onClick={() => applyLink('')}>
            {t('library.richTextEditor.removeLink')}
          </button>
          <button type="button" className="link" onClick={() => setLinkDraft(null)}>
            {t('library.richTextEditor.cancel')}
          </button>
          {linkError && <span className="error">{linkError}</span>}
        </form>
      )}
      <EditorContent editor={editor} className="richtext-body" />
    </div>
  )
}
