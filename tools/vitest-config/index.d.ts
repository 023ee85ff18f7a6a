import type { ViteUserConfig } from 'vitest/config';

/** The settings every workspace shares. */
export declare const sharedConfig: ViteUserConfig;

/** Builds a workspace's vitest config from the shared one, merged with `overrides`. */
export declare function defineWorkspaceConfig(overrides?: ViteUserConfig): ViteUserConfig;
