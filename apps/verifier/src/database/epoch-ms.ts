/** Epoch milliseconds stored as BIGINT: drivers hand BIGINT back as a string (pg) or a number (SQLite). */
export const epochMs = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
