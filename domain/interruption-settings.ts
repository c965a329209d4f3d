import { z } from 'zod';

/** What a caller says while the agent talks that only shows they are listening. */
export const DEFAULT_BACKCHANNELS = ['uh-huh', 'uh huh', 'mm-hmm', 'mhm', 'mm', 'yeah', 'yes', 'yep', 'okay', 'ok', 'right', 'sure', 'got it', 'i see', 'alright'];

/**
 * How the caller's speech over the agent is judged. Sound pauses the reply at once;
 * then the words decide: enough words that are not backchannels cancel it (a barge-in),
 * backchannels only resume it, and sound with no words resumes it after
 * `falseInterruptionMs` of quiet.
 */
export const interruptionSettingsSchema = z
  .object({
    /** Words besides backchannels needed to cancel the reply; 0 lets sound alone do it (after minSpeechMs). */
    minWords: z.number().int().min(0).max(10).default(1),
    /** Caller speech (by VAD) needed too, counted from when it paused the reply. */
    minSpeechMs: z.number().int().min(0).max(5_000).default(0),
    /** Words and phrases that never cancel a reply; matched ignoring case, punctuation and hyphens. */
    backchannels: z.array(z.string().min(1).max(40)).max(100).default(DEFAULT_BACKCHANNELS),
    /** Quiet after wordless sound before the paused reply resumes. */
    falseInterruptionMs: z.number().int().min(100).max(10_000).default(1_000),
    /** Resume a paused reply after backchannels or a false interruption; off: sound that paused it cancels it. */
    resume: z.boolean().default(true),
  })
  .strict();

/** RNNoise before VAD and STT. */
export const noiseSuppressionSchema = z
  .object({
    enabled: z.boolean().default(false),
  })
  .strict();

export type InterruptionSettings = z.infer<typeof interruptionSettingsSchema>;
export type NoiseSuppressionSettings = z.infer<typeof noiseSuppressionSchema>;
