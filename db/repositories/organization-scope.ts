import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

/** The models whose rows carry `organizationId` (as the client names them): every query on them is narrowed. */
const scopedModels = ['providerCredential', 'idempotencyRecord', 'apiKey', 'agent', 'phoneNumber', 'call', 'campaign', 'tool', 'callRerun', 'webhookEndpoint'] as const;
type ScopedModelName = (typeof scopedModels)[number];
const isScoped = (model: string) => (scopedModels as readonly string[]).includes(model.charAt(0).toLowerCase() + model.slice(1));

const filtered = new Set<string>([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);

const created = new Set<string>(['create', 'createMany', 'createManyAndReturn']);

type AnyArgs = Record<string, unknown> & { where?: object; data?: object | object[]; create?: object };

/**
 * The organization, written once: a Prisma client extension adds it to the `where` of
 * every read, count, update and delete of a tenant model (a unique `where` accepts the
 * extra filter, so a row by id of another organization is not found) and to the `data`
 * of every create. Nested reads and writes go through a parent this already narrowed.
 */
function extendedFor(prisma: PrismaClient, organizationId: string) {
  const own = { organizationId };
  const owned = (data: object) => ({ ...data, ...own });
  return prisma.$extends({
    name: 'organization-scope',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (!isScoped(model)) return query(args);
          const scoped: AnyArgs = { ...(args as AnyArgs) };
          if (filtered.has(operation)) scoped.where = { ...scoped.where, ...own };
          else if (created.has(operation) && scoped.data) scoped.data = Array.isArray(scoped.data) ? scoped.data.map(owned) : owned(scoped.data);
          else if (operation === 'upsert') {
            scoped.where = { ...scoped.where, ...own };
            scoped.create = owned(scoped.create ?? {});
          }
          return query(scoped as typeof args);
        },
      },
    },
  });
}

type Extended = ReturnType<typeof extendedFor>;

/** Create input without the organization: the extension writes it. */
type Unowned<D> = D extends object ? Omit<D, 'organizationId' | 'organization'> : D;
type UnownedData<A> = A extends { data: infer D } ? Omit<A, 'data'> & { data: D extends readonly (infer E)[] ? Unowned<E>[] : Unowned<D> } : A;

/**
 * A tenant model's delegate whose creates take no organization. Only the `data` type is
 * loosened; what a query returns is Prisma's own type for the arguments given.
 */
type ScopedDelegate<D> = Omit<D, 'create' | 'createMany' | 'upsert'> & {
  create<A extends UnownedData<Prisma.Args<D, 'create'>>>(args: A): Prisma.PrismaPromise<Prisma.Result<D, A, 'create'>>;
  createMany(args: UnownedData<Prisma.Args<D, 'createMany'>>): Prisma.PrismaPromise<Prisma.BatchPayload>;
  upsert<A extends Omit<Prisma.Args<D, 'upsert'>, 'create'> & { create: Unowned<Prisma.Args<D, 'upsert'>['create']> }>(args: A): Prisma.PrismaPromise<Prisma.Result<D, A, 'upsert'>>;
};

/** What an organization's repositories query: its rows only, in or out of a transaction (so no `$transaction`). */
export type ScopedClient = Omit<Extended, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends' | ScopedModelName> & {
  [M in ScopedModelName]: ScopedDelegate<Extended[M]>;
};

export interface OrganizationScope {
  organizationId: string;
  db: ScopedClient;
  /** Runs `work` in one interactive transaction: an extended client's transaction client keeps the extension. */
  transaction<T>(work: (db: ScopedClient) => Promise<T>): Promise<T>;
  /**
   * What the extension cannot add: the compound unique keys that lead with the organization
   * (unique lookups and upserts must name one), and the filter on a child's parent.
   */
  where: {
    own: { organizationId: string };
    credential: (provider: string) => { organizationId_provider: { organizationId: string; provider: string } };
    idempotency: (key: string) => { organizationId_key: { organizationId: string; key: string } };
  };
}

/**
 * One organization's view of the database. The casts are the one place the loosened create
 * types meet the runtime: the extension above is what makes them true.
 */
export function scopedTo(prisma: PrismaClient, organizationId: string): OrganizationScope {
  const extended = extendedFor(prisma, organizationId);
  return {
    organizationId,
    db: extended as unknown as ScopedClient,
    transaction: (work) => extended.$transaction((tx) => work(tx as unknown as ScopedClient)),
    where: {
      own: { organizationId },
      credential: (provider) => ({ organizationId_provider: { organizationId, provider } }),
      idempotency: (key) => ({ organizationId_key: { organizationId, key } }),
    },
  };
}
