import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

export declare const MIGRATIONS_ID: 'virtual:migrations';
export declare function readMigrationFiles(dir: string): { name: string; sql: string }[];
export declare function viteMigrations(dir: string): VitePlugin;
export declare function esbuildMigrations(dir: string): EsbuildPlugin;
