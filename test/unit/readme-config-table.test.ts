import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { configKeys } from '../../platform/config-schema.js';

describe("README's configuration table", () => {
  it('documents exactly the settings the app reads, in schema order', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.split('## Configuration')[1]!.split('\n## ')[0]!;
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual(configKeys);
  });
});
