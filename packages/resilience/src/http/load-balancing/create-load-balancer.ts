import type { LoadBalancer, LoadBalancerName } from './load-balancer.ts';
import { RoundRobinBalancer } from './round-robin.ts';
import { RandomBalancer } from './random.ts';
import { LeastRequestBalancer } from './least-request.ts';
import { WeightedBalancer } from './weighted.ts';

/** Builds a built-in balancer from its name, or returns a custom one unchanged. */
export function createLoadBalancer(choice: LoadBalancerName | LoadBalancer): LoadBalancer {
  if (typeof choice !== 'string') return choice;
  switch (choice) {
    case 'round_robin':
      return new RoundRobinBalancer();
    case 'random':
      return new RandomBalancer();
    case 'least_request':
      return new LeastRequestBalancer();
    case 'weighted':
      return new WeightedBalancer();
    default:
      throw new RangeError(
        `loadBalancer must be one of round_robin, random, least_request, weighted, got ${String(choice)}`,
      );
  }
}
