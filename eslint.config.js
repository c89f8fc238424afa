// ESLint flat config: typescript-eslint's type-aware recommended rules for all TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.esbuild/',
      '.esbuild-*/',
      '.serverless/',
      '.serverless-ci/',
      '.local/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use crypto for ids and nonces.' },
      ],
    },
  },
  // The serverless.yml helpers in infra/ are CommonJS (serverless loads them with require), run by Node.
  {
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // scripts/*.mjs run before dependencies are installed (npm's pre- and postinstall hooks): plain Node.
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly' },
      parserOptions: { projectService: false, project: false },
    },
  },
  {
    files: ['lib/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', '@middy/*', '*/adapters/*', '*/http/*', '*/usecases/*', 'node:*'] },
      ],
    },
  },
  // Arrows point down (functions → usecases → ports ← adapters); tests/unit/architecture.test.ts checks cycles.
  {
    files: ['lib/http/**/*.ts', 'lib/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/config/**', '**/usecases/**', '**/config/*', '**/usecases/*', '../usecases/*'] },
      ],
    },
  },
  {
    files: ['lib/usecases/**/*.ts', 'lib/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '**/config/**',
            '**/adapters/**',
            '**/http/**',
            '**/config/*',
            '**/adapters/*',
            '**/http/*',
          ],
        },
      ],
    },
  },
  {
    files: ['lib/adapters/**/*.ts', 'lib/domain/**/*.ts', 'lib/usecases/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in lib/config.',
        },
      ],
    },
  },
  {
    // Tests, benchmarks and the template check inspect parsed JSON, which is untyped by nature.
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/check-template.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
);
