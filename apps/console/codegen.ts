import type { CodegenConfig } from '@graphql-codegen/cli';

// Types of every operation the console sends, generated from the composed supergraph (the gateway's API).
const config: CodegenConfig = {
  schema: '../../gateway/supergraph.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', enumsAsTypes: true, useTypeImports: true, skipTypename: true },
    },
  },
};

export default config;
