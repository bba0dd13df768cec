import { useRef, useState, type DragEvent } from 'react'
import { dragHasFiles } from './vault-files'

export interface FileDrop {
  /** A drag with files is over the element. */
  over: boolean
  handlers: {
    onDragEnter: (e: DragEvent) => void
    onDragOver: (e: DragEvent) => void
    onDragLeave: (e: DragEvent) => void
    onDrop: (e: DragEvent) => void
  }
}

/**
 * A drop target for one file: drags of files only (text and links pass through), the first file of the drop,
 * nested enter/leave events counted so the highlight does not flicker over child elements. Dropping is a
 * convenience beside the file picker, which keyboard users keep.
 */
export function useFileDrop(onFile: (file: File) => void, enabled = true): FileDrop {
  const depth = useRef(0)
  const [over, setOver] = useState(false)
  const accept = (e: DragEvent): boolean => {
    if (!enabled || !dragHasFiles(e)) return false
    e.preventDefault()
    e.stopPropagation()
    return true
  }
  return {
    over: enabled && over,
    handlers: {
      onDragEnter: (e) => {
        if (!accept(e)) return
        depth.current++
        setOver(true)
      },
      onDragOver: (e) => {
        if (!accept(e)) return
        e.dataTransfer.dropEffect = 'copy'
      },
      onDragLeave: (e) => {
        if (!accept(e)) return
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setOver(false)
      },
      onDrop: (e) => {
        if (!accept(e)) return
        depth.current = 0
        setOver(false)
        const file = e.dataTransfer.files[0]
        if (file) onFile(file)
      },
    },
  }
}
