import { spawn } from 'node:child_process';

/** Piper's id conventions (its phoneme_id_map): start, end, and the pad put after every phoneme. */
const BOS = '^';
const EOS = '$';
const PAD = '_';

// A mark counts only before a space or the end: "3.5" and "e.g" are no clause breaks.
const CLAUSE_END = /[,;:.!?]+(?=["')\]]*(?:\s|$))/g;

/**
 * IPA phonemes of one text from the espeak-ng CLI, the phonemizer Piper voices are trained on.
 * The CLI prints one line per clause and drops the punctuation that ends each; Piper's own
 * phonemizer keeps it (the voices pause and intonate on it), so it is put back here.
 */
export async function espeakPhonemes(text: string, espeakVoice: string, signal?: AbortSignal, binary = 'espeak-ng'): Promise<string> {
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
  return withClausePunctuation(text, stdout);
}

/** Joins the CLI's clause lines, each ended by the mark that ended that clause in the text. */
export function withClausePunctuation(text: string, espeakOutput: string): string {
  const clauses = espeakOutput
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const marks = [...text.matchAll(CLAUSE_END)].map((match) => match[0].slice(-1));
  // espeak-ng also breaks clauses the text does not mark (very long ones); then the marks
  // cannot be matched one to one and the breaks become commas.
  const matched = marks.length === clauses.length;
  const finalMark = /[.!?]$/.test(marks.at(-1) ?? '') ? (marks.at(-1) as string) : '.';
  return clauses.map((clause, index) => clause + (matched ? (marks[index] as string) : index === clauses.length - 1 ? finalMark : ',')).join(' ');
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

/**
 * Sentences, each synthesised and sent on as soon as it is ready; a very long one is cut at
 * its clauses so that the first audio does not wait for all of it.
 */
export function splitForSynthesis(text: string, maxChars = 240): string[] {
  const sentences = text.match(/\S.*?(?:[.!?]+["')\]]*(?=\s|$)|$)/gs) ?? [];
  const pieces: string[] = [];
  for (const sentence of sentences.map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s))) {
    if (sentence.length <= maxChars) {
      pieces.push(sentence);
      continue;
    }
    let current = '';
    for (const clause of sentence.match(/.+?(?:[,;:]+(?=\s)|$)/gs) ?? [sentence]) {
      if (current && current.length + clause.length > maxChars) {
        pieces.push(current.trim());
        current = '';
      }
      current += clause;
    }
    if (current.trim()) pieces.push(current.trim());
  }
  return pieces;
}

/**
 * The first sentence cut after its first clause (of a few words at least): synthesis time grows
 * with the audio's length, so a short first piece brings the first audio sooner. The cut is
 * where the voice pauses anyway.
 */
export function splitFirstClause(pieces: string[], minWords = 3): string[] {
  const [first, ...rest] = pieces;
  if (!first) return pieces;
  const cut = first.match(/^(.+?[,;:])\s+(\S.*)$/s);
  if (!cut || (cut[1] as string).split(/\s+/).length < minWords || (cut[2] as string).split(/\s+/).length < minWords) return pieces;
  return [cut[1] as string, cut[2] as string, ...rest];
}
