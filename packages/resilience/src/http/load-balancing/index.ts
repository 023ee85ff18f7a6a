// Load balancing: the interface and the built-in strategies.
export type { Candidate, LoadBalancer, LoadBalancerName } from './load-balancer.ts';
export { RoundRobinBalancer } from './round-robin.ts';
export { RandomBalancer } from './random.ts';
export { LeastRequestBalancer } from './least-request.ts';
export { WeightedBalancer } from './weighted.ts';
export { createLoadBalancer } from './create-load-balancer.ts';
