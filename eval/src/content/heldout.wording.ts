/**
 * Wording for the held-out families, written for this file alone: neither the text models'
 * training grammar (packages/models/training/text) nor eval/src/content's other pools produced
 * it, and no training script may read it. Ads here are told as the reader's own story (no
 * "brought to you by", "promo code" or "sponsor" stock phrases); the solo show's framing has no
 * guest and names no "episode" in the usual places.
 *
 * Placeholders: {brand} {site} {show} {host} {subject} {code}.
 */

export interface StoryAd {
  brand: string;
  /** Spoken web address. */
  site: string;
  /** The reader's anecdote: two to four sentences about the product, in the first person. */
  story: readonly string[];
}

export const STORY_ADS: readonly StoryAd[] = [
  {
    brand: 'Pebblecraft',
    site: 'pebblecraft dot shop',
    story: [
      'My daughter and I spent last Sunday building a lamp out of a Pebblecraft kit.',
      'Every piece was labelled, the wiring clicked together without a single tool, and it actually works.',
      'It now sits on her desk and she tells everyone she made it herself.',
    ],
  },
  {
    brand: 'Oxbow Coffee Works',
    site: 'oxbow coffee dot com',
    story: [
      'I used to buy whatever beans were on sale, until a friend handed me a bag from Oxbow Coffee Works.',
      'They roast on Monday and the beans are at my door by Wednesday.',
      'The Ethiopian one tastes a little like blueberries, which I did not believe until I tried it.',
    ],
  },
  {
    brand: 'Tidewell',
    site: 'tidewell dot health',
    story: [
      'For years my back hurt every afternoon at about four o clock.',
      'Tidewell gave me a physiotherapist on a video call who watched me sit at my desk for five minutes.',
      'Three small changes later, the four o clock ache is gone.',
    ],
  },
  {
    brand: 'Ledgerly',
    site: 'ledgerly dot io',
    story: [
      'Running a tiny business means doing the books at midnight, or at least it did for me.',
      'Ledgerly reads my bank statements and sorts every receipt while I sleep.',
      'At tax time I pressed one button and sent the whole year to my accountant.',
    ],
  },
  {
    brand: 'Wandergrain',
    site: 'wandergrain dot com',
    story: [
      'Wandergrain bakes sourdough in a village bakery and mails it the same afternoon.',
      'The loaf I got on Friday was still crackling when I cut it.',
      'They even slip in a note saying which baker shaped it.',
    ],
  },
  {
    brand: 'Hushline Headphones',
    site: 'hushline dot audio',
    story: [
      'I edit this show on trains, planes and once in a very loud laundrette.',
      'My Hushline headphones make all of that disappear the moment I put them on.',
      'The battery outlasted a fourteen hour flight with room to spare.',
    ],
  },
  {
    brand: 'Mossgarden',
    site: 'mossgarden dot co',
    story: [
      'I kill every plant I own, so a sealed moss terrarium from Mossgarden felt like a dare.',
      'Eight months later it is greener than the day it arrived, and I have watered it twice.',
    ],
  },
  {
    brand: 'Rivet Bikes',
    site: 'rivet bikes dot com',
    story: [
      'My commute used to be forty minutes on a crowded bus.',
      'Now it is twenty minutes on a folding Rivet bike that lives under my desk all day.',
      'It weighs less than my laptop bag, which still surprises people at the office.',
    ],
  },
  {
    brand: 'Brindle Pet Food',
    site: 'brindle pets dot com',
    story: [
      'Our old dog Biscuit is fussy, and I mean really fussy.',
      'Brindle asked about his age, weight and habits, and now his meals come portioned in little packs.',
      'He finishes every bowl, and the vet says he has never looked better.',
    ],
  },
];

/** The reader hands over to the story; the host's own line when it is a host-read ad. */
export const STORY_LEADS = [
  'Okay, a small confession before we carry on.',
  'Let me tell you about something that changed my week.',
  'Quick story, and then we are straight back to it.',
  'Something slightly different for a minute.',
] as const;

export const STORY_ASKS = [
  'If you want to try it, {site} is where you will find them, and {code} takes a bit off your first order.',
  'They have set up {site} for people who listen to {show}, and {code} gets you a discount there.',
  'Have a look at {site}, and mention {code} when you check out.',
  'You can see for yourself at {site}, where the word {code} lowers the price of your first one.',
] as const;

/** Solo show framing: one voice, no guest. */
export const SOLO_OPENINGS = [
  'Hello, it is {host}, and this is {show}, where I think out loud for a while.',
  'This is {show}, just me, {host}, and a question that has been bugging me all week.',
  'Hi, {host} here, pull up a chair, because {show} is on the air.',
  'It is {host} again, alone at the microphone for another {show}.',
] as const;

export const SOLO_SUBJECTS = [
  'I keep coming back to {subject}, so let us spend some time on it.',
  'My notes for today are all about {subject}, and there are a lot of them.',
  'The thing on my desk this time is {subject}.',
  'A listener asked me about {subject}, and I went much further down that road than I planned.',
] as const;

export const SOLO_CLOSINGS = [
  'That is as far as I got with it, and I would love to hear where you land.',
  'I will stop there before I talk myself in circles.',
  'So that was {show}, one person and one big question.',
  'Write in if I got something wrong, because I read every message.',
] as const;

export const SOLO_SIGNOFFS = [
  'Until the next one, this has been {host}.',
  'Take care, and I will be back in your ears soon.',
  'From me, {host}, bye for now.',
] as const;
