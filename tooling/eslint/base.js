// Shared lint rules: typed rules on, plus the project's own "fail closed" habits.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export function config(tsconfigRootDir) {
  return tseslint.config(
    { ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', '**/*.config.*', '**/.turbo/**', '**/*.mjs'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir } },
      rules: {
        '@typescript-eslint/consistent-type-imports': 'error',
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/only-throw-error': 'off',
        'no-restricted-syntax': [
          'error',
          { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        ],
        'no-restricted-properties': [
          'error',
          { object: 'process', property: 'env', message: 'Read env only in env.ts (validated once at start).' },
        ],
      },
    },
    {
      // Tests poke at raw HTTP answers and internals on purpose.
      files: ['**/test/**', '**/*.test.ts', '**/e2e/**', '**/bench/**'],
      rules: {
        '@typescript-eslint/no-explicit-any': 'off',
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-non-null-assertion': 'off',
        'no-restricted-properties': 'off',
      },
    },
  );
}
