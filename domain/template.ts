/**
 * `{{path.to.value}}` templates over a scope such as `{ args, vars, secret }`. A string
 * that is exactly one placeholder keeps the value's type (a number stays a number);
 * placeholders inside longer text are written as text. Unknown paths become empty.
 */
export function renderTemplate(value: unknown, scope: Record<string, unknown>, encode: (text: string) => string = (text) => text): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([\w.-]+)\s*\}\}$/.exec(value);
    if (whole) return lookup(scope, whole[1]!) ?? '';
    return value.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, path: string) => encode(asText(lookup(scope, path))));
  }
  if (Array.isArray(value)) return value.map((item) => renderTemplate(item, scope, encode));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderTemplate(item, scope, encode)]));
  return value;
}

/** Renders to text (URLs, header values); `encode` gets each value and the path it came from. */
export function renderText(template: string, scope: Record<string, unknown>, encode: (text: string, path: string) => string = (text) => text): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, path: string) => encode(asText(lookup(scope, path)), path));
}

/** `a.b.c` inside nested objects (and array indexes); undefined when any step is missing. */
export function lookup(scope: unknown, path: string): unknown {
  let current: unknown = scope;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** The names of `{{secret.NAME}}` placeholders in a template, to fetch only those. */
export function secretNames(...templates: unknown[]): string[] {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') for (const match of value.matchAll(/\{\{\s*secret\.([\w-]+)\s*\}\}/g)) names.add(match[1]!);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  templates.forEach(visit);
  return [...names];
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
