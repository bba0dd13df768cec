// Prints one closing line for the whole suite from the vitest and Playwright JSON reports:
// "tests: N passed, N failed, N skipped". A missing report counts as a failure.
import { existsSync, readFileSync } from 'node:fs'

const [vitestFile, playwrightFile] = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0

if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'))
  passed += v.numPassedTests ?? 0
  failed += v.numFailedTests ?? 0
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  if (v.success === false && (v.numFailedTests ?? 0) === 0) failed += 1 // a suite that failed to load
} else failed += 1

if (playwrightFile && existsSync(playwrightFile)) {
  const s = JSON.parse(readFileSync(playwrightFile, 'utf8')).stats ?? {}
  passed += s.expected ?? 0
  failed += (s.unexpected ?? 0) + (s.flaky ?? 0)
  skipped += s.skipped ?? 0
} else failed += 1

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
