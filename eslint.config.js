import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

/** Layer rules (ARCHITECTURE.md): a wrong import fails lint instead of waiting for a review. */
const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
})
const electronOnly = {
  name: 'electron',
  message: 'Only src/main/electron and src/preload may import electron.',
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'build/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'smart'],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  layer(
    ['src/shared/**'],
    [
      {
        group: ['**/main/**', '**/renderer/**', '**/cli/**', '**/preload/**'],
        message: 'src/shared imports nothing else.',
      },
      { group: ['node:*'], message: 'src/shared runs in the renderer too: no Node built-ins.' },
    ],
    [electronOnly],
  ),
  layer(
    ['src/main/**'],
    [
      {
        group: ['**/renderer/**', '**/cli/**', '**/preload/**'],
        message: 'main does not import the renderer, CLI or preload.',
      },
    ],
    [electronOnly],
  ),
  layer(
    ['src/main/engines/**'],
    [
      {
        group: ['**/ipc/**', '**/web/**', '**/electron/**', '**/renderer/**', '**/cli/**'],
        message: 'Engines are plain TypeScript: no transport code.',
      },
    ],
    [electronOnly],
  ),
  layer(
    ['src/main/electron/**'],
    [
      {
        group: ['**/renderer/**', '**/cli/**', '**/preload/**'],
        message: 'The Electron glue uses main and shared only.',
      },
    ],
  ),
  layer(
    ['src/renderer/**'],
    [
      {
        group: ['**/main/**', '**/cli/**', '**/preload/**'],
        message: 'The renderer reaches main only through the contract (lib/api.ts).',
      },
      { group: ['node:*'], message: 'No Node built-ins in the renderer.' },
    ],
    [electronOnly],
  ),
  layer(
    ['src/preload/**'],
    [
      {
        group: ['**/main/**', '**/renderer/**', '**/cli/**'],
        message: 'The preload exposes the contract and nothing else.',
      },
    ],
  ),
  layer(
    ['src/cli/**'],
    [
      {
        group: ['**/renderer/**', '**/preload/**', '**/electron/**'],
        message: 'The CLI runs the engines without Electron.',
      },
    ],
    [electronOnly],
  ),
)
