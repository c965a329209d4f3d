/** What the speech-accuracy bench says: varied everyday call content, several voices and speeds. */
export interface BenchUtterance {
  text: string;
  voice: string;
  wordsPerMinute: number;
}

const TEXTS = [
  'I would like to book a table for two people at seven thirty tomorrow evening.',
  'My name is Jennifer Lopez and I live at 42 Baker Street.',
  'Can you call me back on Tuesday the fifth of March?',
  "The meeting is at ten o'clock, please do not be late.",
  'Please transfer me to the billing department.',
  'My account number is 4 7 1 9 2 3.',
  'I need to cancel my appointment with Doctor Patel on Friday.',
  'What time does the pharmacy close on Sunday?',
  'The package was supposed to arrive yesterday but it never came.',
  'Could you send the invoice to my email address instead?',
  'I was charged twice for the same order last week.',
  'We are a family of four travelling from Chicago to Boston.',
  'Yes, that works for me, thank you very much.',
  'No, I said the twenty first, not the thirty first.',
  'My flight leaves at six fifteen in the morning.',
  'Is there any parking available near the hotel?',
  'Please book me a haircut for Saturday at eleven.',
  'The total comes to fifty four dollars and twenty cents.',
  'I moved to 1600 Pennsylvania Avenue last summer.',
  'My phone number is 5 5 5 0 1 9 8.',
  'Can I speak to a manager, please?',
  'My daughter Emily has a dentist appointment on the third of June.',
  'The heating in my apartment stopped working this morning.',
  'I would like to upgrade my internet plan to the faster one.',
  'How much does it cost to ship a parcel to Canada?',
  'Michael Johnson will pick up the keys at four in the afternoon.',
  'Our office is on the second floor of the old bank building.',
  'I forgot my password and cannot log in to my account.',
  'Please remind me about the meeting an hour before it starts.',
  'The car makes a strange noise when I turn left.',
  'I was born on the twelfth of August 1985.',
  'Can we move the delivery to next Thursday afternoon?',
  'Sarah and David are coming to the party on New Year.',
  'My order number is 8 3 0 2 6 4 1.',
  'Is the restaurant open for lunch on Mondays?',
  'I need a taxi to the airport at five thirty.',
  'The weather in London has been very rainy this week.',
  'We would like three large pizzas and a bottle of water.',
  'Please read the last sentence again more slowly.',
  'My insurance policy expires at the end of December.',
  'The train to Manchester departs from platform nine.',
  'I live at 221 Oak Lane, apartment 7.',
  'Could you spell your last name for me, please?',
  'I will be there in about twenty minutes.',
];

const VOICES = ['en-us', 'en', 'en+f3', 'en-us+m3'];
const SPEEDS = [140, 160, 175, 190, 200];

/**
 * Each text once, voices and speeds spread over them deterministically. Another `variant`
 * gives each text another voice and speed: a held-out set for checking that a decoder
 * setting tuned on variant 0 is not fitted to those exact recordings.
 */
export function benchUtterances(variant = 0): BenchUtterance[] {
  return TEXTS.map((text, i) => ({ text, voice: VOICES[(i + variant) % VOICES.length]!, wordsPerMinute: SPEEDS[(i * 3 + 2 * variant) % SPEEDS.length]! }));
}

export const BENCH_UTTERANCES: BenchUtterance[] = benchUtterances();
