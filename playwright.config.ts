import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests. `browser`: the real renderer build and guard pipeline through `qqsec serve`, driven in
 * Debian's Chromium. `electron`: the desktop app itself; it skips with one line where the Electron binary
 * cannot start (it cannot be downloaded on these machines).
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: { screenshot: 'only-on-failure', trace: 'off' },
  projects: [
    { name: 'browser', testMatch: /browser-.*\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron.*\.spec\.ts$/ },
  ],
})
