/** A PostgreSQL text[] literal of these strings, for a `?::text[]` parameter (each element quoted, `"` and `\` escaped). */
export const textArrayLiteral = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
