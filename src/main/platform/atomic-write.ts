import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'

/** Write a file atomically: temp file in the same folder, fsync, rename, fsync the folder. */
export function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o600): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx', mode)
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    unlinkSync(tmp)
    throw e
  }
  closeSync(fd)
  try {
    renameSync(tmp, path)
  } catch (e) {
    unlinkSync(tmp)
    throw e
  }
  fsyncDir(dirname(path))
}

/** Make a rename or a new file in `dir` durable (where the platform can fsync a folder). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
