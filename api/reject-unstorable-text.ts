import type { RequestHandler } from 'express';
import { AppError } from '../domain/errors.js';

/**
 * PostgreSQL cannot store NUL in text or jsonb, and a lone UTF-16 surrogate would be
 * silently replaced on the way to UTF-8: such input is refused here, with the field
 * at fault, instead of failing (or changing) later at the database.
 */
export const rejectUnstorableText: RequestHandler = (req, _res, next) => {
  const bad = findUnstorable(req.body, 'body') ?? findUnstorable(req.query, 'query');
  if (bad) {
    next(new AppError('invalid_text', 'text must be well-formed Unicode without NUL characters', 400, [{ path: bad, message: 'unstorable text' }]));
    return;
  }
  next();
};

function findUnstorable(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isStorable(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findUnstorable(value[i], `${path}.${i}`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (!isStorable(key)) return `${path}.${key}`;
      const bad = findUnstorable(child, `${path}.${key}`);
      if (bad) return bad;
    }
  }
  return undefined;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isStorable(text: string): boolean {
  return !text.includes('\u0000') && !loneSurrogate.test(text);
}
