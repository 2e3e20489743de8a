// Checks the frozen JSON Schemas of published event versions; with --update, freezes versions that
// have none yet. It never rewrites the schema of an existing version (add a v2 for that).
import { checkFrozenSchemas, describeSchemaProblem, freezeNewSchemas } from '../contracts';

const update = process.argv.includes('--update');
if (update) {
  for (const path of freezeNewSchemas()) console.log(`froze ${path}`);
}
const problems = checkFrozenSchemas()
  .map(describeSchemaProblem)
  .filter((problem): problem is string => problem !== undefined);
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log('event schemas: every published version unchanged');
