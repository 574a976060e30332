// Lint enforces the runtime boundaries of ARCHITECTURE.md: core, contract, host and CLI never
// import electron; the contract imports nothing from Node; the renderer reaches the rest only
// through the contract; the Electron app never bundles the web host.
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'net', 'url', 'util', 'stream']
const noElectron = { name: 'electron', message: 'core, contract, host and CLI run in plain Node: inject what is Electron-shaped instead.' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'renderer/src/**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts', 'electron/cli/**/*.ts', 'db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'knex', message: 'the contract is shared with the renderer' }],
          patterns: NODE_BUILTINS.map((group) => ({
            group: [group],
            message: 'the contract is shared with the renderer: no Node modules',
          })),
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../host', '../host/*'], message: 'the web host is never part of the packaged app' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}', 'electron/host/web-preload.ts', 'electron/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'knex', message: 'the renderer talks to core only through the contract' }],
          patterns: [
            ...NODE_BUILTINS.map((group) => ({ group: [group], message: 'the renderer never imports Node modules' })),
            { group: ['**/electron/core/**', '**/electron/main/**', '**/db/**'], message: 'use @contract and renderer/src/api' },
          ],
        },
      ],
    },
  },
)
