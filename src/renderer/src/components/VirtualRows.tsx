import { useCallback, useEffect, useRef, useState, type ReactNode, type UIEvent } from 'react'
import './virtual-rows.css'

interface Props<T> {
  rows: readonly T[]
  /** Fixed height of every row in pixels: what makes windowing cheap. */
  rowHeight: number
  /** Height of the scroll container (CSS length). */
  height: string
  rowKey: (row: T) => string | number
  renderRow: (row: T, index: number) => ReactNode
  /** Called when the user scrolls within `threshold` rows of the end (load the next page). */
  onNearEnd?: () => void
  threshold?: number
  /** Extra rows drawn above and below the visible ones, so fast scrolling shows no gaps. */
  overscan?: number
  /** A row to bring into view (e.g. a seq linked from a report), by index. */
  scrollToIndex?: number | null
  footer?: ReactNode
  label: string
  rowCount?: number
}

/**
 * A windowed list: one scroll container, a spacer as tall as all rows, and only the visible rows (plus a few)
 * rendered at their absolute offsets. Stays smooth with hundreds of thousands of rows.
 */
export function VirtualRows<T>({
  rows,
  rowHeight,
  height,
  rowKey,
  renderRow,
  onNearEnd,
  threshold = 40,
  overscan = 8,
  scrollToIndex = null,
  footer,
  label,
  rowCount,
}: Props<T>) {
  const ref = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(600)

  useEffect(() => {
    const el = ref.current
    if (!el) return
    const observer = new ResizeObserver(() => setViewport(el.clientHeight))
    observer.observe(el)
    setViewport(el.clientHeight)
    return () => observer.disconnect()
  }, [])

  useEffect(() => {
    const el = ref.current
    if (!el || scrollToIndex === null || scrollToIndex < 0) return
    el.scrollTop = Math.max(0, scrollToIndex * rowHeight - el.clientHeight / 3)
  }, [scrollToIndex, rowHeight])

  const total = rows.length
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan)
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan)

  const checkEnd = useCallback(
    (top: number) => {
      if (onNearEnd && top + viewport >= (total - threshold) * rowHeight) onNearEnd()
    },
    [onNearEnd, viewport, total, threshold, rowHeight],
  )

  // A first page shorter than the viewport must still ask for more.
  useEffect(() => checkEnd(scrollTop), [checkEnd, scrollTop])

  const onScroll = (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop)

  const visible: ReactNode[] = []
  for (let i = first; i < last; i++) {
    const row = rows[i]
    if (row === undefined) continue
    visible.push(
      <div
        key={rowKey(row)}
        role="presentation"
        style={{ position: 'absolute', top: i * rowHeight, left: 0, right: 0, height: rowHeight }}
      >
        {renderRow(row, i)}
      </div>,
    )
  }

  return (
    <div
      ref={ref}
      onScroll={onScroll}
      role="rowgroup"
      aria-label={label}
      aria-rowcount={rowCount ?? total}
      style={{ height, overflowY: 'auto', position: 'relative', contain: 'strict' }}
      data-virtual-rows
    >
      <div style={{ height: total * rowHeight, position: 'relative' }}>{visible}</div>
      {footer}
    </div>
  )
}
