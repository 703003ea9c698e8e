/** Fictional shows, people and phrasings; every episode draws its own combination. */

export const SHOWS = [
  'The Curious Hour',
  'Field and Fathom',
  'Small Wonders',
  'The Long Answer',
  'Open Questions',
  'Second Look',
  'The Slow Lane',
  'Deep Roots',
  'Night Shift Science',
  'The Tinkerers',
  'Common Ground',
  'Working Notes',
  'The Back Room',
  'Under the Surface',
  'Loose Threads',
  'The Margins',
  'Fine Print',
  'Low Tide',
  'The Side Door',
  'Quiet Machines',
  'Borrowed Time',
  'Signal Fire',
  'The Weekly Dig',
  'Half Past Nine',
  'Open Window',
  'The Porch Light',
] as const;

export const HOSTS = [
  'Maya Lindqvist',
  'Daniel Okafor',
  'Priya Raman',
  'Tom Hallett',
  'Elena Varga',
  'Marcus Bell',
  'Hannah Kowalski',
  'Sam Adeyemi',
  'Laura Finch',
  'Owen Mercer',
  'Grace Nakamura',
  'Felix Moreau',
  'Rosa Delgado',
  'Ben Thornton',
  'Ines Carvalho',
  'Jonah Weiss',
  'Clara Sutton',
  'Ravi Menon',
  'Nora Quinn',
  'Alex Brennan',
  'Zoe Hartmann',
  'Isaac Fuller',
  'Leah Morgan',
  'Victor Haas',
] as const;

export const GUESTS = [
  'Doctor Amara Singh',
  'Professor Lena Holm',
  'Jakob Steiner',
  'Doctor Ruth Abernathy',
  'Tariq Haddad',
  'Mei Chen',
  'Doctor Oliver Grant',
  'Sofia Romano',
  'Professor Kwame Mensah',
  'Hugo Lambert',
  'Doctor Erin Walsh',
  'Nadia Petrova',
  'Professor Luis Ortega',
  'Freya Olsen',
  'Doctor Samuel Cole',
  'Ayesha Khan',
  'Martin Dubois',
  'Doctor Julia Brandt',
  'Kenji Watanabe',
  'Professor Helen Ashby',
  'Diego Navarro',
  'Doctor Anna Kravitz',
  'Patrick Doyle',
  'Lucia Ferreira',
  'Doctor Yusuf Demir',
  'Ingrid Berg',
  'Professor Chloe Martin',
  'Emeka Obi',
  'Doctor Sarah Lowe',
  'Pablo Ruiz',
  'Doctor Iris Novak',
  'Theo Laurent',
] as const;

/** Placeholders: {show} {host} {subject} {guest} {role}. Each list is one slot of the spoken intro. */
export const INTRO_GREETINGS = [
  "Welcome to {show}, I'm your host {host}.",
  "Hello and welcome to another episode of {show}, I'm {host}.",
  "Hi everyone, this is {show}, and I'm your host, {host}.",
  "You're listening to {show}, and I'm {host}, thanks for tuning in.",
  'Good to have you with us on {show}, my name is {host}.',
  "Hey there, welcome back to {show}, I'm {host} and this is the show where we take our time.",
  "This is {show}, the podcast for people who like to ask one more question, and I'm {host}.",
  "Welcome, welcome, you've found your way to {show}, and I'm your host {host}.",
] as const;

export const INTRO_SUBJECTS = [
  "Today we're talking about {subject}.",
  'In this episode we dig into {subject}.',
  "This week's conversation is all about {subject}.",
  "I've wanted to make an episode about {subject} for a long time, and today we finally do it.",
  "Today's question is a big one, because we're looking at {subject}.",
  'On the programme today we explore {subject}.',
  'Our subject this time is {subject}, and I promise it is more surprising than it sounds.',
] as const;

export const INTRO_GUESTS = [
  'My guest is {guest}, {role}.',
  "Joining me today is {guest}, {role}, and I'm so glad to have them here.",
  "I'm talking with {guest}, {role}, who was kind enough to make time for us.",
  'With me in the studio is {guest}, {role}.',
  'To help me understand it all, I invited {guest}, {role}.',
  'Our guide today is {guest}, {role}.',
] as const;

export const INTRO_EXTRAS = [
  "As always, you'll find notes and links for this episode on our website.",
  'If you are new here, welcome, and if you have been with us for a while, thank you for coming back.',
  'We recorded this conversation a few weeks ago, and I have been thinking about it ever since.',
  'Grab a cup of something warm, because this one goes to some unexpected places.',
  "A quick reminder that we read every email you send us, even the ones we can't answer.",
  'This episode is a little longer than usual, so settle in.',
] as const;

export const OUTRO_THANKS = [
  "And that's all for this episode of {show}, thanks for listening.",
  'That brings us to the end of the show, thank you so much for spending this time with us.',
  "We're out of time for today, so a big thank you to {guest} for joining me.",
  "That's it for this week, and thanks again to {guest} for such a generous conversation.",
  "Well, that's where we'll leave it today, thanks for listening to {show}.",
  "And with that, we've reached the end of another episode of {show}.",
] as const;

export const OUTRO_ASKS = [
  'If you enjoyed it, please subscribe and leave us a review wherever you get your podcasts.',
  'Please subscribe so you never miss an episode, and tell a friend who might like it.',
  'If this episode made you curious, share it with someone and hit subscribe in your podcast app.',
  'Ratings and reviews really help new listeners find the show, so we would love it if you left one.',
  'You can follow the show in your favourite app, and new episodes arrive every Tuesday morning.',
  'If you have a question for a future episode, send it to us, because many of our best episodes started that way.',
] as const;

export const OUTRO_SIGNOFFS = [
  "I'm {host}, and I'll see you next time.",
  'Until next week, take care of yourselves, this has been {host}.',
  "This has been {show}, I'm {host}, goodbye for now.",
  'Stay curious, and we will talk again soon.',
  'Thanks for listening, and have a lovely rest of your week.',
  '{show} is produced by a very small team, and we appreciate every single one of you.',
] as const;

/** Host lines that lead into a mid-roll break; labelled as part of the ad break. */
export const BREAK_LEADS = [
  "We'll be right back after a quick word from this week's sponsor.",
  "Let's take a short break, and when we come back I want to ask about something you said earlier.",
  'Before we go on, here is a message from the people who help keep this show running.',
  'Stay with us, because after this short break things get even more interesting.',
] as const;
