declare module 'virtual:migrations' {
  const migrations: ReadonlyArray<{ readonly name: string; readonly sql: string }>;
  export default migrations;
}
