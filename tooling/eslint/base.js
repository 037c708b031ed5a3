// Shared lint rules: typed rules on, plus the project's own "fail closed" habits.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export function config(tsconfigRootDir) {
  return tseslint.config(
    { ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', '**/*.config.*', '**/.turbo/**'] },
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
  );
}
