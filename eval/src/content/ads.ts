/**
 * Fictional sponsors and ad-read phrasings. Placeholders: {brand} {site} {show} {code} {offer}
 * {host}. Sponsor pitches are one product each, so ads across episodes sound different.
 */
export interface Sponsor {
  brand: string;
  /** Spoken web address without the show part, e.g. "brightmeal dot com". */
  site: string;
  pitch: readonly string[];
  offer: string;
}

export const SPONSORS: readonly Sponsor[] = [
  {
    brand: 'Brightmeal',
    site: 'brightmeal dot com',
    offer: 'half off your first box',
    pitch: [
      'Brightmeal delivers fresh ingredients and simple recipes to your door every week.',
      'Dinner is ready in twenty minutes, and you never have to wonder what to cook again.',
    ],
  },
  {
    brand: 'Nestwell',
    site: 'nestwell dot com',
    offer: 'a free month of premium',
    pitch: [
      'Nestwell is the budgeting app that finally makes sense of where your money goes.',
      'It sorts your spending automatically and tells you when a subscription quietly goes up in price.',
    ],
  },
  {
    brand: 'Loomwear',
    site: 'loomwear dot com',
    offer: 'fifteen percent off your first order',
    pitch: [
      'Loomwear makes socks and sweaters from soft merino wool that lasts for years.',
      'Every pair is knitted in a small mill and comes with a lifetime repair promise.',
    ],
  },
  {
    brand: 'Quillpad',
    site: 'quillpad dot app',
    offer: 'three months free',
    pitch: [
      'Quillpad is a notes app that keeps your ideas, lists and drafts in one calm place.',
      'It works offline, syncs everywhere, and never shows you a single advertisement.',
    ],
  },
  {
    brand: 'Stillwater Mattress',
    site: 'stillwater sleep dot com',
    offer: 'two free pillows with any mattress',
    pitch: [
      'A Stillwater mattress arrives rolled in a box and is ready to sleep on the same night.',
      'Try it for a hundred nights, and if you do not love it, they will pick it up for free.',
    ],
  },
  {
    brand: 'Parcelry',
    site: 'parcelry dot com',
    offer: 'your first shipment label free',
    pitch: [
      'Parcelry helps small online shops print postage and track every package from one dashboard.',
      'It compares carriers for you, so you always pay the lowest price for each delivery.',
    ],
  },
  {
    brand: 'Greenleaf Tea',
    site: 'greenleaf tea dot com',
    offer: 'a free tasting set',
    pitch: [
      'Greenleaf sources loose leaf tea directly from small family farms.',
      'Each month they send three new teas with notes on where and how they were grown.',
    ],
  },
  {
    brand: 'Lingo Lane',
    site: 'lingo lane dot com',
    offer: 'forty percent off a yearly plan',
    pitch: [
      'Lingo Lane pairs you with a friendly tutor for short conversation lessons in over thirty languages.',
      'Lessons fit into a lunch break, and you can book them from your phone in seconds.',
    ],
  },
  {
    brand: 'Cobalt VPN',
    site: 'cobalt vpn dot com',
    offer: 'four extra months',
    pitch: [
      'Cobalt encrypts your connection on public Wi-Fi so nobody can snoop on what you do online.',
      'One subscription covers every device in your home, with a single tap to switch it on.',
    ],
  },
  {
    brand: 'Harbor Bank',
    site: 'harbor bank dot com',
    offer: 'a fifty dollar bonus when you open an account',
    pitch: [
      'Harbor Bank has no monthly fees, no minimum balance, and real people who answer the phone.',
      'You can open an account from your couch in about five minutes.',
    ],
  },
  {
    brand: 'Trailmix Audio',
    site: 'trailmix audio dot com',
    offer: 'free shipping and a carrying case',
    pitch: [
      'Trailmix makes rugged wireless earbuds that survive rain, sweat and the bottom of your bag.',
      'The battery lasts all day, and the case charges them three more times.',
    ],
  },
  {
    brand: 'Sprout Box',
    site: 'sprout box dot com',
    offer: 'twenty percent off your first kit',
    pitch: [
      'Sprout Box sends a monthly science kit that kids can build at the kitchen table.',
      'Each kit comes with a short video and everything you need, down to the batteries.',
    ],
  },
  {
    brand: 'Fernway Plants',
    site: 'fernway dot com',
    offer: 'a free pot with your first plant',
    pitch: [
      'Fernway ships healthy houseplants in clever packaging that keeps them safe on the way.',
      'Their plant doctors answer care questions by message, so your new fern has a fighting chance.',
    ],
  },
  {
    brand: 'Northstar Insurance',
    site: 'northstar insurance dot com',
    offer: 'a free quote in two minutes',
    pitch: [
      'Northstar compares renters and home insurance from dozens of companies in one place.',
      'Most people who switch save hundreds a year without giving up any coverage.',
    ],
  },
];

export const AD_OPENERS = [
  'This episode of {show} is brought to you by {brand}.',
  'Support for {show} comes from {brand}.',
  "Today's episode is sponsored by {brand}, and I'm genuinely a fan.",
  'A quick thank you to {brand} for supporting the show.',
  'This part of the show is brought to you by our friends at {brand}.',
  'I want to tell you about {brand}, one of the sponsors who make this podcast possible.',
] as const;

export const AD_CALLS = [
  'Go to {site} slash {slug} and use the code {code} to get {offer}.',
  'Visit {site} slash {slug} today and enter {code} at checkout for {offer}.',
  'Head over to {site} and use promo code {code} to claim {offer}.',
  'Listeners of this show get {offer} by going to {site} slash {slug}.',
] as const;

export const AD_CLOSERS = [
  "That's {site} slash {slug}, and our thanks to {brand} for supporting the show.",
  'Once again, the code is {code}, and the offer is only for a limited time.',
  'Terms and conditions apply, see the website for full details.',
  'Check it out today and tell them {show} sent you.',
] as const;
