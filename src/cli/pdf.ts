import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomic } from '../main/platform/atomic-write'
import { CliError } from './cli-error'
import { EXIT } from './exit-codes'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

/** Render self-contained HTML to PDF with headless Chromium (a real print, not a text dump). */
export function htmlToPdf(html: string, out: string): void {
  const browser = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE, ...CANDIDATES].find(
    (p): p is string => !!p && existsSync(p),
  )
  if (!browser) {
    throw new CliError(
      'PDF needs Chromium (Debian package chromium); or use --format html and print it.',
      EXIT.usage,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'qqsec-pdf-'))
  try {
    const page = join(dir, 'report.html')
    const pdf = join(dir, 'report.pdf')
    writeFileAtomic(page, html)
    const r = spawnSync(
      browser,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${pdf}`,
        `file://${page}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
    )
    if (r.status !== 0 || !existsSync(pdf) || statSync(pdf).size === 0) {
      throw new CliError(
        `Chromium could not print the report (exit ${r.status ?? 'timeout'}); try --format html.`,
        EXIT.usage,
      )
    }
    writeFileAtomic(out, readFileSync(pdf))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
