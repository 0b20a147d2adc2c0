// The statement that gives a test file its own database, shared by the harness and by the
// measurement of what that costs (snippets/testing/measure-isolation.ts), so the figure on
// the Testing page is the cost of what the harness runs. It keeps PostgreSQL's default
// strategy (WAL_LOG): STRATEGY FILE_COPY was 2.5x faster on the embedded server (fsync off)
// but forces a checkpoint per copy, and on the PostgreSQL 15 service (fsync on) it took
// 1.0-1.4 s a copy against 0.19 s.
export function createDatabaseStatement(name: string, template?: string): string {
  return `create database ${name}${template ? ` template ${template}` : ''}`;
}
