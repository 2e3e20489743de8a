import root from '../../eslint.config.mjs';

// The repository's rules, minus the operation types graphql-codegen writes (web/src/gql).
export default [{ ignores: ['web/src/gql/**'] }, ...root];
