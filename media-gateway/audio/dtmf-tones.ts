/** The DTMF keypad's two frequencies per key (ITU-T Q.23): a row tone and a column tone. */
const ROWS = [697, 770, 852, 941];
const COLUMNS = [1209, 1336, 1477, 1633];
const KEYPAD = ['123A', '456B', '789C', '*0#D'];

export const DTMF_TONE_MS = 100;
export const DTMF_GAP_MS = 80;
/** `w` in a digit string: wait half a second (as in phone dialers). */
export const DTMF_WAIT_MS = 500;

export function dtmfFrequencies(key: string): [number, number] {
  const row = KEYPAD.findIndex((keys) => keys.includes(key));
  if (row < 0) throw new Error(`not a keypad key: ${key}`);
  return [ROWS[row]!, COLUMNS[KEYPAD[row]!.indexOf(key)]!];
}

/**
 * In-band DTMF for `digits` (0-9, *, #, A-D, w for a pause) as 16-bit PCM: each key a
 * 100 ms pair of sines at -6 dBFS each, then 80 ms of silence. IVRs on the far side of a
 * phone call hear these as key presses.
 */
export function dtmfTones(digits: string, sampleRate: number): Int16Array {
  const samplesFor = (ms: number) => Math.round((sampleRate * ms) / 1000);
  let total = 0;
  for (const key of digits) total += key === 'w' || key === 'W' ? samplesFor(DTMF_WAIT_MS) : samplesFor(DTMF_TONE_MS) + samplesFor(DTMF_GAP_MS);
  const out = new Int16Array(total);
  let at = 0;
  for (const key of digits) {
    if (key === 'w' || key === 'W') {
      at += samplesFor(DTMF_WAIT_MS);
      continue;
    }
    const [low, high] = dtmfFrequencies(key);
    const length = samplesFor(DTMF_TONE_MS);
    for (let i = 0; i < length; i++) {
      const t = i / sampleRate;
      out[at + i] = Math.round(16_383 * 0.5 * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t)));
    }
    at += length + samplesFor(DTMF_GAP_MS);
  }
  return out;
}
