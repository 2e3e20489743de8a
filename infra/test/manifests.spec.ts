import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { INFRA } from './compose-file';

// Issue 13 item 5: infra/k8s/simpul.yaml against the Kubernetes API schemas (the kubernetes-models
// packages: the OpenAPI schemas of the API, validated by ajv), since no cluster runs here; then the
// topology: probes, resources, disruption budgets, autoscaling, keys in Secrets, and a network policy
// that lets only the gateway reach the subgraphs.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any; stringData?: Record<string, string> };

/** Each manifest validated by test/validate-k8s.mjs (kubernetes-models is an ES module): error null when valid. */
function validate(documents: readonly Manifest[]): { kind: string; name: string; error: string | null }[] {
  const output = execFileSync(process.execPath, [join(__dirname, 'validate-k8s.mjs')], { input: JSON.stringify(documents), cwd: INFRA });
  return JSON.parse(output.toString('utf8')) as { kind: string; name: string; error: string | null }[];
}

const manifests: Manifest[] = parseAllDocuments(readFileSync(join(INFRA, 'k8s', 'simpul.yaml'), 'utf8')).map((doc) => doc.toJS() as Manifest);
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const byName = (kind: string, name: string) => ofKind(kind).find((m) => m.metadata.name === name);

const SUBGRAPHS = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications', 'audit'];
const STATELESS_SUBGRAPHS = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs'];

describe('infra/k8s/simpul.yaml', () => {
  it('is valid against the Kubernetes API schemas, every document', () => {
    const results = validate(manifests);
    expect(results.length).toBe(manifests.length);
    expect(results.filter((result) => result.error !== null)).toEqual([]);
    expect(new Set(results.map((r) => r.kind))).toEqual(
      new Set(['Namespace', 'Secret', 'ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy']),
    );
  });

  it('the validation can fail: a probe with a wrong type, or an unknown API version, is refused', () => {
    const gateway = structuredClone(byName('Deployment', 'gateway')!);
    gateway.spec.template.spec.containers[0].readinessProbe.periodSeconds = 'often';
    const pdb = { ...byName('PodDisruptionBudget', 'gateway')!, apiVersion: 'policy/v1beta7' };
    const [probe, version] = validate([gateway, pdb]);
    expect(probe!.error).toMatch(/periodSeconds/);
    expect(version!.error).not.toBeNull();
  });

  it('runs every process of the stack, each with probes on /healthz and /readyz and resources', () => {
    expect(ofKind('Deployment').map((d) => d.metadata.name).sort()).toEqual([...SUBGRAPHS, 'gateway'].sort());
    for (const deployment of ofKind('Deployment')) {
      const [container] = deployment.spec.template.spec.containers;
      expect([deployment.metadata.name, container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path]).toEqual([deployment.metadata.name, '/healthz', '/readyz']);
      expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(container.resources.limits.memory).toEqual(expect.any(String));
      expect(container.env).toContainEqual({ name: 'SIMPUL_SERVICE', value: deployment.metadata.name });
      expect(byName('Service', deployment.metadata.name)).toBeDefined();
      expect(byName('PodDisruptionBudget', deployment.metadata.name)?.spec.selector).toEqual(deployment.spec.selector);
    }
  });

  it('autoscales the gateway and the stateless subgraphs', () => {
    expect(ofKind('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(['gateway', ...STATELESS_SUBGRAPHS].sort());
  });

  it('keeps keys in Secrets: only the gateway gets the private context key, only the audit log its chain key', () => {
    const usersOf = (secret: string) =>
      ofKind('Deployment')
        .filter((d) => JSON.stringify(d.spec.template.spec).includes(`"name":"${secret}"`))
        .map((d) => d.metadata.name);
    expect(usersOf('gateway-keys')).toEqual(['gateway']);
    expect(usersOf('audit-keys')).toEqual(['audit']);
    expect(byName('Secret', 'gateway-keys')?.stringData).toHaveProperty('INTERNAL_CONTEXT_PRIVATE_KEY');
    const plain = ofKind('ConfigMap').flatMap((c) => Object.keys((c as unknown as { data: Record<string, string> }).data));
    expect(plain.filter((key) => /KEY|SECRET|PEPPER|PASSWORD/.test(key))).toEqual([]);
  });

  it('lets only the gateway reach the subgraphs (and the audit log the subgraphs’ appends)', () => {
    for (const name of SUBGRAPHS) {
      const policies = ofKind('NetworkPolicy').filter((p) => p.spec.podSelector.matchLabels['app.kubernetes.io/name'] === name);
      expect([name, policies.length]).toEqual([name, 1]);
      const sources = policies[0]!.spec.ingress.flatMap((rule: { from: unknown[] }) => rule.from);
      const pods = sources.filter((s: { podSelector?: unknown }) => s.podSelector).map((s: { podSelector: { matchLabels: Record<string, string> } }) => s.podSelector.matchLabels);
      expect(pods).toContainEqual({ 'app.kubernetes.io/name': 'gateway' });
      if (name === 'audit') expect(pods).toEqual([{ 'app.kubernetes.io/name': 'gateway' }, { 'app.kubernetes.io/component': 'subgraph' }]);
      else expect(pods).toEqual([{ 'app.kubernetes.io/name': 'gateway' }]);
    }
  });

  it('keeps the audit checkpoints on a volume the image user can write', () => {
    const audit = byName('Deployment', 'audit')!;
    expect(audit.spec.template.spec.securityContext.fsGroup).toBe(1000);
    expect(audit.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'audit-anchors', mountPath: '/var/lib/simpul/audit-anchors' });
    expect(audit.spec.strategy).toEqual({ type: 'Recreate' });
  });
});
