'use strict'
// ESLint for the hand-written JavaScript (entries, shims, the BullMQ strategy, the CLI,
// scripts, benchmarks and tests); formatting is Prettier's (.prettierrc.json).
const js = require('@eslint/js')
const globals = require('globals')

module.exports = [
  { ignores: ['target/', 'node_modules/', 'npm/', 'artifacts/', 'binding.js', 'binding.d.ts', '**/*.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['__test__/**/*.js'],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a destructured `[, data]` or an ignored
      // argument of a callback with a fixed signature).
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
]
