// Validates Kubernetes manifests (JSON array on stdin) against the API schemas of the
// kubernetes-models packages, an ES module jest's CommonJS runtime cannot load (so a child process).
// Prints [{ kind, name, error }] for each document: error null when valid.
import { text } from 'node:stream/consumers';

const manifests = JSON.parse(await text(process.stdin));
const results = [];
for (const manifest of manifests) {
  const group = manifest.apiVersion; // v1 (core) or group/version, as the package's paths are laid out
  let error = null;
  try {
    const module = await import(`kubernetes-models/${group}/${manifest.kind}`);
    new module[manifest.kind](manifest).validate();
  } catch (caught) {
    error = caught instanceof Error ? caught.message.slice(0, 2000) : String(caught);
  }
  results.push({ kind: manifest.kind, name: manifest.metadata?.name, error });
}
process.stdout.write(JSON.stringify(results));
