import { spawn } from 'node:child_process';
import { splitClauses } from './piper-text-split.js';

/** Piper's id conventions (its phoneme_id_map): start, end, and the pad put after every phoneme. */
const BOS = '^';
const EOS = '$';
const PAD = '_';

/**
 * IPA phonemes of one piece of text from the espeak-ng CLI, the phonemizer Piper voices are
 * trained on. The CLI drops the mark that ends each clause, which Piper's own phonemizer keeps
 * (the voices pause and intonate on it), so each clause is phonemized alone (all at once) and
 * its mark put back after it.
 */
export async function espeakPhonemes(text: string, espeakVoice: string, signal?: AbortSignal, binary = 'espeak-ng'): Promise<string> {
  const clauses = splitClauses(text);
  const phonemes = await Promise.all(clauses.map((clause) => espeakIpa(clause.text, espeakVoice, signal, binary)));
  return clauses.map((clause, index) => `${phonemes[index] as string}${clause.mark || (index === clauses.length - 1 ? '.' : ',')}`).join(' ');
}

/** The CLI's IPA for a text, its lines (clause breaks of its own) joined. */
async function espeakIpa(text: string, espeakVoice: string, signal: AbortSignal | undefined, binary: string): Promise<string> {
  const child = spawn(binary, ['-q', '--ipa', '-v', espeakVoice, '--', text], { stdio: ['ignore', 'pipe', 'pipe'], signal });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).catch((error: Error) => {
    if (signal?.aborted) throw error;
    throw new Error(`espeak-ng could not run (${error.message}); install it: apt-get install espeak-ng`);
  });
  if (code !== 0) throw new Error(`espeak-ng failed (exit ${code}): ${stderr.trim()}`);
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}

/** Phonemes to the voice's input ids: start, each phoneme then a pad, end (as Piper does). */
export function phonemesToIds(phonemes: string, idMap: Record<string, number[]>): number[] {
  const pad = idMap[PAD] ?? [0];
  const ids = [...(idMap[BOS] ?? []), ...pad];
  // Piper decomposes first, so that a combining mark maps to its own id.
  for (const phoneme of phonemes.normalize('NFD')) {
    const id = idMap[phoneme];
    if (!id) continue;
    ids.push(...id, ...pad);
  }
  ids.push(...(idMap[EOS] ?? []));
  return ids;
}
