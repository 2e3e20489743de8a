/**
 * oidc-provider's storage (sessions, interactions, codes, grants, refresh tokens) in this process's
 * memory: a restart signs everyone out, which suits a development IdP. Access tokens are JWTs and
 * never stored. One store per server, shared by the provider instances a key rotation replaces.
 */

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };

interface Entry {
  payload: Payload;
  expiresAt: number | undefined;
}

/** Entries kept before expired ones are swept on write. */
const SWEEP_EVERY = 1000;

export class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  private readonly grants = new Map<string, Set<string>>();
  /** `<model>:<field>:<value>` → entry key, for findByUid and findByUserCode. */
  private readonly lookups = new Map<string, string>();
  private writes = 0;

  /** The adapter class oidc-provider instantiates once per model name. */
  adapter(): new (model: string) => ModelAdapter {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const store = this;
    return class {
      constructor(readonly model: string) {}
      upsert(id: string, payload: Payload, expiresIn?: number) {
        return store.upsert(this.model, id, payload, expiresIn);
      }
      find(id: string) {
        return store.find(this.model, id);
      }
      findByUid(uid: string) {
        return store.findBy(this.model, 'uid', uid);
      }
      findByUserCode(userCode: string) {
        return store.findBy(this.model, 'userCode', userCode);
      }
      consume(id: string) {
        return store.consume(this.model, id);
      }
      destroy(id: string) {
        return store.destroy(this.model, id);
      }
      revokeByGrantId(grantId: string) {
        return store.revokeByGrantId(grantId);
      }
    };
  }

  private key(model: string, id: string): string {
    return `${model}:${id}`;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async upsert(model: string, id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const key = this.key(model, id);
    this.entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    for (const field of ['uid', 'userCode'] as const) {
      const value = payload[field];
      if (typeof value === 'string') this.lookups.set(`${model}:${field}:${value}`, key);
    }
    if (payload.grantId) {
      const keys = this.grants.get(payload.grantId) ?? new Set<string>();
      keys.add(key);
      this.grants.set(payload.grantId, keys);
    }
    if (++this.writes % SWEEP_EVERY === 0) this.sweep();
  }

  async find(model: string, id: string): Promise<Payload | undefined> {
    return this.live(this.key(model, id))?.payload;
  }

  async findBy(model: string, field: 'uid' | 'userCode', value: string): Promise<Payload | undefined> {
    const key = this.lookups.get(`${model}:${field}:${value}`);
    const entry = key === undefined ? undefined : this.live(key);
    return entry?.payload[field] === value ? entry.payload : undefined;
  }

  async consume(model: string, id: string): Promise<void> {
    const entry = this.live(this.key(model, id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(model: string, id: string): Promise<void> {
    this.entries.delete(this.key(model, id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of this.grants.get(grantId) ?? []) this.entries.delete(key);
    this.grants.delete(grantId);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entries.delete(key);
    }
    for (const [lookup, key] of this.lookups) if (!this.entries.has(key)) this.lookups.delete(lookup);
    for (const [grantId, keys] of this.grants) {
      for (const key of keys) if (!this.entries.has(key)) keys.delete(key);
      if (keys.size === 0) this.grants.delete(grantId);
    }
  }
}

export interface ModelAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}
