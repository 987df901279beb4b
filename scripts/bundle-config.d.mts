import type { BuildOptions } from 'esbuild';

export declare const WORKER_ENTRIES: Record<string, string>;
export declare const EXTERNAL: string[];
export declare function nodeBundleOptions(root: string, options?: { external?: string[] }): BuildOptions;
export declare function workerEntries(root: string): Record<string, string>;
