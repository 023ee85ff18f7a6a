import { createPrng, type Prng } from './prng.ts';

/** The request kinds the generator sends; also the `scenario` label of its metrics. */
export const requestKinds = ['create-user', 'create-order', 'read-order', 'list-payments'] as const;

/** One of {@link requestKinds}. */
export type RequestKind = (typeof requestKinds)[number];

/** Relative weight of each request kind; kinds left out weigh 0. */
export type MixWeights = Readonly<Partial<Record<RequestKind, number>>>;

/** The default mix: mostly reads, some orders, a few sign-ups. */
export const defaultMix: MixWeights = { 'create-user': 1, 'create-order': 4, 'read-order': 5 };

/** A line item of a generated order. */
export interface PlannedItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/**
 * One planned request: a pure function of the seed and its index. Ids of users and orders
 * created earlier are chosen at send time with `pick` (a number in [0, 1)), since only the
 * services know them.
 */
export interface PlannedRequest {
  readonly index: number;
  readonly kind: RequestKind;
  /** Body of `create-user`, and of the create-user a request falls back to when no user exists yet. */
  readonly user: { readonly email: string; readonly name: string };
  /** Items and idempotency key for `create-order`. */
  readonly order: { readonly items: readonly PlannedItem[]; readonly idempotencyKey: string };
  /** Chooses among known ids: index = floor(pick × count). */
  readonly pick: number;
}

const firstNames = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Radia', 'Linus', 'Frances', 'Tony'];
const lastNames = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Thompson',
  'Perlman',
  'Allen',
  'Hoare',
  'Knuth',
];
const skus = ['SKU-BOLT', 'SKU-NUT', 'SKU-ROPE', 'SKU-SAIL', 'SKU-MAST', 'SKU-HULL', 'SKU-OAR', 'SKU-KEEL'];

/**
 * Parses `create-user=1,create-order=4,read-order=5` into weights.
 * @throws RangeError naming the bad entry
 */
export function parseMix(text: string): MixWeights {
  const weights: Partial<Record<RequestKind, number>> = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, value] = entry.split('=');
    if (!requestKinds.includes(name as RequestKind)) {
      throw new RangeError(`mix kind must be one of ${requestKinds.join(', ')}, got "${name}"`);
    }
    const weight = Number(value);
    if (value === undefined || !Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`mix weight of ${name} must be a number >= 0, got "${value}"`);
    }
    weights[name as RequestKind] = weight;
  }
  return weights;
}

/**
 * Turns a seed and a mix into the reproducible sequence of planned requests. Every request
 * draws the same number of values from the PRNG whatever its kind, so a plan depends only on
 * the seed, the mix and the index — never on responses.
 */
export class RequestPlanner {
  readonly #prng: Prng;
  readonly #seedTag: string;
  readonly #kinds: RequestKind[];
  readonly #cumulative: number[];
  #index = 0;

  constructor(seed: number, weights: MixWeights = defaultMix) {
    this.#prng = createPrng(seed);
    this.#seedTag = (seed >>> 0).toString(16).padStart(8, '0');
    this.#kinds = requestKinds.filter((kind) => (weights[kind] ?? 0) > 0);
    let sum = 0;
    this.#cumulative = this.#kinds.map((kind) => (sum += weights[kind] ?? 0));
    if (sum <= 0) throw new RangeError('mix must give at least one kind a weight > 0');
  }

  /** The next planned request. */
  next(): PlannedRequest {
    const index = this.#index++;
    const prng = this.#prng;
    const draw = prng.next() * this.#cumulative.at(-1)!;
    const kind = this.#kinds[this.#cumulative.findIndex((bound) => draw < bound)] ?? this.#kinds.at(-1)!;
    const name = `${prng.pick(firstNames)} ${prng.pick(lastNames)}`;
    const email = `load-${this.#seedTag}-${index}-${prng.int(1e6)}@load.shipshape.test`;
    const itemCount = 1 + prng.int(3);
    const items: PlannedItem[] = [];
    for (let i = 0; i < 3; i += 1) {
      const item = { sku: prng.pick(skus), quantity: 1 + prng.int(5), unitPriceCents: 100 + prng.int(9900) };
      if (i < itemCount) items.push(item);
    }
    const idempotencyKey = `load-${this.#seedTag}-${index}-${prng.int(2 ** 31).toString(36)}`;
    return { index, kind, user: { email, name }, order: { items, idempotencyKey }, pick: prng.next() };
  }
}
