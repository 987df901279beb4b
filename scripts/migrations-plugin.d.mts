export declare const MIGRATIONS_ID: 'virtual:migrations';
export declare function readMigrationFiles(dir: string): { name: string; sql: string }[];
export declare function viteMigrations(dir: string): import('vite').Plugin;
export declare function esbuildMigrations(dir: string): import('esbuild').Plugin;
