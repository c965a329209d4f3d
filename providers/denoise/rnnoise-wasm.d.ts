// The package ships Emscripten output without typings: only what we call.
declare module '@echogarden/rnnoise-wasm' {
  export interface RnnoiseModule {
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    _rnnoise_create(model: number): number;
    _rnnoise_destroy(state: number): void;
    _rnnoise_get_frame_size(): number;
    _rnnoise_process_frame(state: number, out: number, input: number): number;
  }
  export default function RNNoise(options?: object): Promise<RnnoiseModule>;
}
