import { z } from 'zod';

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** From the previous page's `nextCursor`. */
  cursor: z.string().max(200).optional(),
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** Opaque position in a list ordered by (createdAt, id), newest first. */
export interface Cursor {
  createdAt: Date;
  id: string;
}
