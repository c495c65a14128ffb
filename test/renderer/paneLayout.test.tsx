// Renderer (jsdom): the library's pane separators — arrow keys resize within bounds, Home/End go to the ends, Enter
// hides and restores, and what is remembered (localStorage) is widths and flags only, read back with bad values ignored.
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Splitter } from '../../renderer/src/components/Splitter'
import { usePaneLayout, type PaneSpec } from '../../renderer/src/hooks/usePaneLayout'

const SPECS: Record<'list', PaneSpec> = { list: { initial: 300, min: 200, max: 400 } }

function Panes() {
  const { panes, setWidth, setCollapsed } = usePaneLayout('test', SPECS)
  return (
    <div>
      {!panes.list.collapsed && <section id="list" data-testid="list" style={{ width: panes.list.width }} />}
      <Splitter
        label="List width"
        controls="list"
        width={panes.list.width}
        min={SPECS.list.min}
        max={SPECS.list.max}
        collapsed={panes.list.collapsed}
        onWidth={(w) => setWidth('list', w)}
        onCollapsed={(c) => setCollapsed('list', c)}
      />
    </div>
  )
}

beforeEach(() => localStorage.clear())
afterEach(cleanup)

describe('resizable panes', () => {
  it('resizes by keyboard within its bounds and remembers the width', () => {
    render(<Panes />)
    const separator = screen.getByRole('separator', { name: 'List width' })
    expect(separator.getAttribute('aria-valuenow')).toBe('300')
    fireEvent.keyDown(separator, { key: 'ArrowRight' })
    expect(separator.getAttribute('aria-valuenow')).toBe('316')
    fireEvent.keyDown(separator, { key: 'ArrowLeft', shiftKey: true })
    expect(separator.getAttribute('aria-valuenow')).toBe('252')
    fireEvent.keyDown(separator, { key: 'End' })
    expect(separator.getAttribute('aria-valuenow')).toBe('400')
    fireEvent.keyDown(separator, { key: 'ArrowRight' })
    expect(separator.getAttribute('aria-valuenow')).toBe('400')
    fireEvent.keyDown(separator, { key: 'Home' })
    expect(separator.getAttribute('aria-valuenow')).toBe('200')
    expect(screen.getByTestId('list').style.width).toBe('200px')
    cleanup()
    render(<Panes />)
    expect(screen.getByRole('separator', { name: 'List width' }).getAttribute('aria-valuenow')).toBe('200')
    expect(JSON.parse(localStorage.getItem('custodia.layout.test')!)).toEqual({ list: { width: 200, collapsed: false } })
  })

  it('hides and restores the pane with Enter, and the arrow keys bring a hidden pane back', () => {
    render(<Panes />)
    const separator = screen.getByRole('separator', { name: 'List width' })
    fireEvent.keyDown(separator, { key: 'Enter' })
    expect(screen.queryByTestId('list')).toBeNull()
    expect(separator.getAttribute('aria-valuenow')).toBe('0')
    fireEvent.keyDown(separator, { key: 'ArrowRight' })
    expect(screen.getByTestId('list').style.width).toBe('300px')
  })

  it('ignores stored values that are out of bounds or not numbers', () => {
    localStorage.setItem('custodia.layout.test', JSON.stringify({ list: { width: 99999, collapsed: 'yes' } }))
    render(<Panes />)
    expect(screen.getByRole('separator', { name: 'List width' }).getAttribute('aria-valuenow')).toBe('400')
    expect(screen.getByTestId('list')).toBeTruthy()
    cleanup()
    localStorage.setItem('custodia.layout.test', '{not json')
    render(<Panes />)
    expect(screen.getByRole('separator', { name: 'List width' }).getAttribute('aria-valuenow')).toBe('300')
  })
})
