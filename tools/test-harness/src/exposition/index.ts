// The Prometheus / OpenMetrics exposition reader (subpath `@shipshape/test-harness/exposition`).
// Dependency-free, so the tools that read a live /metrics import it without pulling Redis or
// child-process helpers.
export { parseExposition, type Exemplar, type Exposition, type Sample } from './parse-exposition.ts';
export {
  labelsMatch,
  maxSample,
  sampleNames,
  samplesOf,
  sumSamples,
  valueOf,
  type LabelMatchers,
  type Samples,
} from './select-samples.ts';
