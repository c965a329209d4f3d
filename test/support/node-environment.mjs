// Jest's node environment gives tests their own typed-array constructors; native
// addons (onnxruntime-node) check `instanceof Float32Array` against the host's.
// Share the host's, so audio buffers cross into native code as they do in production.
import { TestEnvironment } from 'jest-environment-node';

const shared = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Uint8Array', 'Uint8ClampedArray', 'Int8Array', 'Uint16Array',
  'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

export default class NodeEnvironmentWithHostTypedArrays extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of shared) this.global[name] = globalThis[name];
  }
}
