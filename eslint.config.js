// Lint for the whole repository: typescript-eslint with type information for TypeScript, Lit's
// and web components' rules for the elements; formatting is Prettier's (eslint-config-prettier).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      'demo/.data/',
      'test-results/',
      'playwright-report/',
      'a11y-report/',
      'packages/*/src/generated/',
    ],
  },
  js.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A leading underscore marks a parameter an interface requires but this code does not read.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.spec.ts', '**/test/**/*.ts', 'e2e/**/*.ts', 'security/**/*.ts'],
    rules: {
      // Test doubles stand in for async APIs: an async mock without an await is the point.
      '@typescript-eslint/require-await': 'off',
      // `expect(object.method).toHaveBeenCalled()` reads a method without calling it, on purpose.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests read untyped JSON (JSON.parse, Playwright's response.json()) and use asymmetric
    // matchers (expect.any(), typed `any`); they check shapes with expect() instead.
    files: ['**/*.test.ts', '**/*.spec.ts', '**/test/**/*.ts', 'e2e/**/*.ts', 'security/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tests and scripts that drive a browser pass callbacks that run in the page.
    files: ['e2e/**', 'security/**', 'scripts/**', 'fixtures/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    // The tests' card data has one home, fixtures/cards.ts (the networks' public test numbers, each
    // checked against the published list): a CARD, CVV or TEST_CARDS constant elsewhere names a
    // card from there instead of writing the digits again.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    ignores: ['fixtures/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'VariableDeclarator[id.name=/^(CARD|PAN|TEST_CARDS?)$/] Literal[value=/^(\\d[ -]?){12,18}\\d$/]',
          message: 'Take test card numbers from fixtures/cards.ts.',
        },
        {
          selector: 'VariableDeclarator[id.name=/^(CVV|CVC)$/] > Literal',
          message: 'Take the test CVV from fixtures/cards.ts.',
        },
      ],
    },
  },
  {
    files: ['packages/consumer-widget/src/**/*.ts', 'packages/agent-panel/src/**/*.ts', 'demo/pages/**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The demo pages' event handlers are async and catch their own errors; a listener ignores
    // the promise it returns, which is what they mean.
    files: ['demo/pages/**/*.ts'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }] },
  },
  prettier,
);
