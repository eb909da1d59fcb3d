import type postgres from "postgres";

type AnySql = postgres.Sql | postgres.TransactionSql;
type Callback = (sql: AnySql) => unknown;

/**
 * postgres.js as Drizzle should use it: every query a named prepared statement. Drizzle asks for
 * unnamed statements, and postgres.js then describes each query with parameters before running
 * it: two round trips per query, and nothing pipelined. Prepared, a query is parsed once per
 * connection; later runs take one round trip, and queries issued together share one write.
 * Statements are kept per connection, which postgres.js recycles (`max_lifetime`). Not for a
 * pooler in transaction mode (PgBouncer), which cannot keep prepared statements.
 */
export function preparingEveryQuery<T extends AnySql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "unsafe") {
        return (query: string, args?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, args as postgres.ParameterOrJSON<never>[], {
            ...options,
            prepare: true,
          });
      }
      if (property === "begin" || property === "savepoint") {
        return (...args: unknown[]) => {
          const callback = args.pop() as Callback;
          return (value as (...a: unknown[]) => unknown).call(target, ...args, (tx: AnySql) =>
            callback(preparingEveryQuery(tx)),
          );
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
