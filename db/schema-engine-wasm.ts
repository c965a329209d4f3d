import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Engine from '@prisma/schema-engine-wasm';

type WasmExports = Record<string, unknown>;
type EngineBindings = typeof Engine & {
  __wbg_set_wasm(exports: WasmExports): void;
};
/** The slice of the WebAssembly global we use (Node has it; the ES lib typings do not). */
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
};

let loaded: Promise<typeof Engine> | undefined;

/**
 * The package's entry does `import * as wasm from './schema_engine_bg.wasm'`, which
 * Node 20 cannot load without --experimental-wasm-modules. Instantiate the module
 * ourselves and hand its exports to the wasm-bindgen glue, as that entry would.
 */
export function loadSchemaEngine(): Promise<typeof Engine> {
  loaded ??= (async () => {
    installPanicRegistry();
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bindings = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as EngineBindings;
    const bytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bindings;
  })();
  return loaded;
}

/** wasm-bindgen's panic hook writes the Rust panic message into this global before trapping. */
function installPanicRegistry(): void {
  const holder = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string; get(): string; set_message(m: string): void } };
  holder.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    get() {
      return this.message;
    },
    set_message(message: string) {
      this.message = `schema engine panicked: ${message}`;
    },
  };
}

/** The last panic message of the engine, to attach to the RuntimeError the trap raises. */
export function lastEnginePanic(): string | undefined {
  const holder = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string } };
  return holder.PRISMA_WASM_PANIC_REGISTRY?.message || undefined;
}
