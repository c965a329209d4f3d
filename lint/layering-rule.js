import path from 'node:path';

/**
 * Imports run downhill. A file's layer is the top-level folder it lives in; a relative
 * import resolves to the layer it reaches into, and that layer must be one the file's
 * layer may import (`layers` in eslint.config.js). Resolving the path, rather than
 * matching folder names in the import text, keeps `media-gateway/activities/` apart from
 * the top-level `activities/`.
 */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only the folders below it.' },
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      upward: "{{from}} may not import {{to}} ('{{source}}'): {{from}} may import {{allowed}}.",
      typesOnly: "{{from}} may import only types from {{to}} ('{{source}}'): use `import type`.",
    },
  },
  create(context) {
    const { root, layers } = context.options[0];
    const file = path.relative(root, context.filename);
    const from = layerOf(file);
    const rules = layers[from];
    if (!rules || file.startsWith('..')) return {};
    const allowed = new Set([from, ...(rules.imports ?? [])]);
    const typesFrom = new Set(rules.types ?? []);

    function check(node, source, typeOnly) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.relative(root, path.resolve(path.dirname(context.filename), source));
      if (target.startsWith('..')) return;
      const to = layerOf(target);
      if (allowed.has(to)) return;
      const below = [...allowed].filter((name) => name !== from);
      const data = { from: `${from}/`, to: `${to}/`, source, allowed: below.length > 0 ? below.map((name) => `${name}/`).join(', ') : 'nothing of ours' };
      if (typesFrom.has(to)) {
        if (!typeOnly) context.report({ node, messageId: 'typesOnly', data });
        return;
      }
      context.report({ node, messageId: 'upward', data });
    }

    return {
      ImportDeclaration(node) {
        const typeOnly = node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((specifier) => specifier.importKind === 'type'));
        check(node, node.source.value, typeOnly);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
    };
  },
};

/** `api/routes/x.ts` → `api`; a file at the root (`main.ts`) is its own layer. */
function layerOf(relativePath) {
  const [first] = relativePath.split(path.sep);
  return first.replace(/\.[cm]?[jt]s$/, '');
}
