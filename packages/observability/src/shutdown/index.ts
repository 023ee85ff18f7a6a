// Public surface of the shutdown area.
export { installGracefulShutdown } from './graceful-shutdown.ts';
export type {
  Closer,
  GracefulShutdown,
  GracefulShutdownOptions,
  ServerLike,
  ShutdownLogger,
  SignalSource,
} from './graceful-shutdown.ts';
