import type { Cursor } from '../../domain/pagination.js';
import { AppError } from '../../domain/errors.js';

/** What a list request asks for: how many rows, and after which (the previous page's `nextCursor`). */
export interface PageQuery {
  limit: number;
  cursor?: string;
}

export function encodeCursor(row: Cursor): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(createdAt ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) throw new AppError('invalid_cursor', 'cursor is not one this API gave out', 400);
  return { createdAt: date, id };
}

/** Prisma arguments for one page, newest first; one extra row tells whether there is a next page. */
export function pageArgs(query: PageQuery) {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  return {
    where: after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {},
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
    take: query.limit + 1,
  };
}

export function toPage<T extends Cursor, V>(rows: T[], limit: number, view: (row: T) => V): { data: V[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { data: page.map(view), nextCursor: more ? encodeCursor(page.at(-1)!) : null };
}
