"""Seeded English paragraphs for the synthetic voices: varied rhythm, numbers, questions.

None of this text appears in samples/ (the bundled episodes are the behaviour test).
"""
import random

SUBJECTS = [
    'the city council', 'a small bakery', 'our research team', 'the river authority', 'my neighbour',
    'the orchestra', 'a new startup', 'the school board', 'the weather service', 'a local farmer',
    'the museum', 'the football club', 'a group of volunteers', 'the hospital', 'the train company',
    'an old friend of mine', 'the software team', 'the library', 'a famous chef', 'the mountain rescue crew',
]
VERBS = [
    'announced', 'reported', 'discovered', 'explained', 'questioned', 'celebrated', 'postponed',
    'reviewed', 'measured', 'described', 'planned', 'argued about', 'finished', 'rebuilt', 'tested',
]
OBJECTS = [
    'a plan for cheaper housing', 'the results of the survey', 'a faster way to recycle glass',
    'the budget for next year', 'a strange noise in the tunnel', 'the history of the harbour',
    'a recipe for rye bread', 'the price of electricity', 'a map of every bicycle lane',
    'the migration of birds', 'a bug in the payment system', 'the quality of drinking water',
    'a festival for young musicians', 'the cost of repairing the bridge', 'a theory about sleep',
]
TAILS = [
    'on Tuesday morning', 'after months of work', 'despite the rain', 'for the first time',
    'without much fuss', 'in front of a large crowd', 'late last night', 'with some surprise',
    'earlier than expected', 'in three different towns', 'at a press conference', 'over a cup of coffee',
]
OPENERS = [
    'Well,', 'So,', 'Honestly,', 'Meanwhile,', 'In other news,', 'To be fair,', 'Look,', 'Right,',
    'Interestingly,', 'As you may know,', 'Of course,', 'Now,',
]
QUESTIONS = [
    'What does that mean for the rest of us?', 'Why did nobody see this coming?',
    'How long will it take to fix?', 'Is this really the best option we have?',
    'Where do we go from here?', 'Who is going to pay for all of it?', 'Can you tell us a bit more?',
]
SHORT = [
    'Absolutely.', 'That is right.', 'Not really.', 'Exactly, yes.', 'I think so.', 'Good question.',
    'Thank you.', 'Fair enough.', 'Let me explain.', 'Okay, great.',
]
NUMBERS = ['twelve', 'forty two', 'three hundred', 'nineteen ninety eight', 'seven point five', 'half']


def sentence(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.12:
        return rng.choice(QUESTIONS)
    if kind < 0.2:
        return rng.choice(SHORT)
    s = f'{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}'
    if rng.random() < 0.6:
        s += f' {rng.choice(TAILS)}'
    if rng.random() < 0.3:
        s += f', and about {rng.choice(NUMBERS)} percent of people {rng.choice(["agreed", "were surprised", "did not notice"])}'
    if rng.random() < 0.35:
        s = f'{rng.choice(OPENERS)} {s}'
    return s[0].upper() + s[1:] + rng.choice(['.', '.', '.', '!'])


def paragraph(rng: random.Random, sentences: tuple[int, int] = (3, 6)) -> str:
    return ' '.join(sentence(rng) for _ in range(rng.randint(*sentences)))
