import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const BOUNDARY_MESSAGE = "Import another package through its exports (e.g. '@simpul/service-kit', '@simpul/service-kit/testing'), not its dist/ or src/.";
// Any build output (no source imports its own dist/ either), and sources by a package's name or repository path.
const CROSS_PACKAGE_PATHS = ['**/dist', '**/dist/**', '@simpul/*/src', '@simpul/*/src/**', '**/packages/*/src/**', '**/services/*/src/**', '**/gateway/src/**'];
const CROSS_PACKAGE_PATH = String.raw`/(^|\/)dist(\/|$)|^@simpul\/[^\/]+\/src(\/|$)|(^|\/)(packages|services)\/[^\/]+\/src\/|(^|\/)gateway\/src\//`;

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/migrations/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Package boundaries: another workspace only through its package.json `exports` (its main entry,
      // `/testing` for test helpers), never its build output or sources by path.
      'no-restricted-imports': ['error', { patterns: [{ group: CROSS_PACKAGE_PATHS, message: BOUNDARY_MESSAGE }] }],
      'no-restricted-syntax': [
        'error',
        // The same for require(), require.resolve() and import() of a string.
        {
          selector: `:matches(CallExpression[callee.name='require'], CallExpression[callee.object.name='require'][callee.property.name='resolve'], ImportExpression) > Literal[value=${CROSS_PACKAGE_PATH}]`,
          message: BOUNDARY_MESSAGE,
        },
      ],
    },
  },
);
