import { topic } from './topic.ts';

export const HISTORY_TOPICS = [
  topic(
    'railway-time',
    'how the railways forced the world to agree on the time',
    'a historian of technology who studies clocks and timekeeping',
    `
H: It seems obvious that everyone in a country uses the same time, but that was not always true, was it?
G: For most of history, every town set its clocks by the sun, so noon was whenever the sun was highest overhead.
G: That meant a town a little to the west ran several minutes behind its neighbour to the east.
H: And nobody minded?
G: Nobody noticed, because you could not travel fast enough between towns for a few minutes to matter.
G: The railways changed that, because a timetable needs every station to agree on what time it is.

H: What did the railway companies actually do about it?
G: At first each company used the time of its headquarters, so a single station might show several different clocks.
G: Travellers complained constantly about missed connections and confusing timetables.
H: So how did standard time zones finally arrive?
G: Railway companies agreed on a handful of zones, each an hour apart, and switched over on a single day.
G: Some people called it the day of two noons, because clocks in many towns were set back in the middle of the day.

H: Was there resistance to the change?
G: Some preachers and local newspapers complained that the railways were stealing God's time.
G: A few towns stubbornly kept local time on the church clock for years afterwards.
H: How did the correct time actually travel from place to place?
G: Observatories measured it from the stars and sent signals along telegraph wires at a fixed hour each day.
G: In some cities a large ball dropped from a pole at exactly one o'clock so ships in the harbour could set their clocks.

H: Do we still have the same system today?
G: Broadly yes, although today the reference comes from atomic clocks and is broadcast by radio and satellites.
G: Your phone quietly corrects itself against those signals, so the argument about whose noon is right has finally ended.
`,
  ),
  topic(
    'plastic',
    'what really happens to the plastic we put in the recycling bin',
    'an environmental engineer who has worked in sorting plants',
    `
H: When I put a plastic bottle in the recycling bin, what happens to it next?
G: It goes to a sorting plant, where conveyor belts, magnets, air jets and cameras separate it from paper, metal and glass.
G: Optical sensors recognise different kinds of plastic by the way they reflect light.
H: And then it becomes a new bottle?
G: Clear drink bottles have a decent chance, because there is a strong market for that particular plastic.
G: Many other items, such as mixed packaging and films, are much harder to recycle and often end up burned or buried.

H: Why is some plastic so much harder to recycle than others?
G: Packaging often combines several layers of different plastics glued together, and those cannot be separated cheaply.
G: Colours and dirt also lower the value, because the recycled material cannot be used for as many products.
H: What about the little numbers printed inside the triangle symbol?
G: They tell you which type of plastic it is, not whether your local system can actually recycle it.
G: That symbol has confused people for decades, and some places now require clearer labels.

H: Is chemical recycling the answer people hope it will be?
G: It breaks plastics back down into basic chemicals, which could handle mixed waste in theory.
G: In practice it uses a lot of energy, and many plants have produced mostly fuel rather than new plastic so far.
H: So what is the most useful thing a listener can do?
G: Rinse containers, keep food and plastic bags out of the recycling bin, and check what your local facility accepts.
G: Above all, buying less single use packaging does far more good than perfect sorting ever could.

H: Are you hopeful about the bigger picture?
G: I am cautiously hopeful, because refill systems and simpler packaging are finally being taken seriously by big companies.
`,
  ),
  topic(
    'roman-concrete',
    'why Roman concrete has lasted for two thousand years',
    'a materials scientist who studies ancient building materials',
    `
H: Roman buildings like the Pantheon are still standing after two thousand years, so what was their secret?
G: Their concrete used lime mixed with volcanic ash, which reacts slowly and keeps strengthening for a very long time.
G: Modern concrete is stronger at first, but it tends to crack and crumble within a century or so.
H: Is it true that some Roman concrete can heal its own cracks?
G: Recent studies found small white lumps of lime in the concrete that had long been dismissed as poor mixing.
G: When water seeps into a crack, those lumps dissolve and crystallise again, sealing the crack from the inside.

H: What about the harbour walls that have stood in seawater for centuries?
G: That is even stranger, because seawater normally destroys concrete over time.
G: In Roman harbour concrete, seawater reacted with the volcanic ash to grow rare minerals that bind the material together.
H: So the sea actually makes it stronger?
G: In that particular mix, yes, and engineers are very interested in copying the idea for coastal structures.

H: Why did we ever stop using the Roman recipe?
G: Much of the knowledge was lost after the empire fell, and later builders used different materials.
G: Modern cement was developed for speed and early strength, which suits the way we build today.
H: Could we switch back to the Roman approach?
G: Not completely, because Roman concrete sets slowly and cannot take the loads of a modern skyscraper.
G: But blends inspired by it could last much longer and produce less carbon dioxide during manufacture.

H: What is it like to hold a piece of Roman concrete in your hand?
G: It looks quite ordinary, grey and rough, but knowing it has outlived dozens of empires makes it feel very special.
`,
  ),
  topic(
    'memory',
    'how memory champions remember thousands of numbers',
    'a psychologist who studies competitive memorisers',
    `
H: There are people who memorise the order of a shuffled deck of cards in under twenty seconds, how is that possible?
G: They are not born with special memories, and in ordinary tests they perform about as well as anyone else.
G: What they have is a set of techniques, practised for hours every day over many years.
H: What is the most famous technique?
G: It is called the memory palace, where you imagine walking through a familiar place and leave vivid images along the route.
G: To remember a list, you picture each item at a different spot, and later you simply walk the route again in your mind.

H: Why does that work so much better than repetition?
G: Our brains evolved to remember places and striking images far better than abstract lists.
G: The palace turns boring information into a journey full of strange scenes, which the brain finds easy to hold on to.
H: How do they remember numbers then, since numbers are not very vivid?
G: They learn a code where every pair or triple of digits stands for a person, an action or an object.
G: A long number becomes a story of characters doing odd things in rooms of the palace.

H: Can ordinary people benefit from these methods?
G: In one study, beginners who trained for six weeks more than doubled the number of words they could remember.
G: Brain scans even showed their activity patterns becoming more similar to those of the champions.
H: Should students use memory palaces for exams?
G: They are brilliant for lists, names and vocabulary, but they do not replace actually understanding the material.

H: What do the champions themselves say about it?
G: Most of them describe it as a sport rather than a gift, and they all say anyone willing to practise can get surprisingly good.
`,
  ),
  topic(
    'city-foxes',
    'the wild animals that have learned to live in cities',
    'an urban ecologist who tracks foxes with radio collars',
    `
H: Many people are surprised to see a fox walking down their street at night, so how common are they in cities?
G: In some cities there are several foxes in every square kilometre, often more than in the surrounding countryside.
G: Gardens, parks and railway embankments give them plenty of food and quiet places to hide.
H: What do city foxes actually eat?
G: Less rubbish than people assume, because a lot of their diet is worms, insects, rodents, birds and fallen fruit.
G: Food left out deliberately by residents also plays a surprisingly large role in some neighbourhoods.

H: What have the radio collars taught you about their lives?
G: Each family has a territory of a few streets, and they know every gap in every fence along it.
G: They cross busy roads at particular times and places, almost as if they have learned the traffic patterns.
H: Are city foxes changing compared with their country cousins?
G: Some studies suggest urban foxes have slightly shorter and wider snouts, possibly from eating different food.
G: They also tend to be bolder, which makes sense when you are surrounded by people who rarely chase you.

H: Which other animals are doing well in cities?
G: Peregrine falcons nest on tall buildings, which to them look like cliffs with a steady supply of pigeons.
G: Raccoons, coyotes and even wild boar have moved into cities in different parts of the world.
H: Is this something we should celebrate or worry about?
G: A bit of both, because urban wildlife brings joy but also conflicts over bins, pets and occasional disease.

H: What would help people and urban wildlife live together better?
G: Secure bins, no deliberate feeding, and gardens with some wild corners go a long way.
`,
  ),
  topic(
    'salt',
    'how salt shaped history',
    'a food historian who has written about salt roads and salt taxes',
    `
H: Salt is so cheap today, so why do you say it was once one of the most valuable things in the world?
G: Before refrigeration, salt was the main way to preserve meat and fish through the winter.
G: Without it, a town could not store enough food to survive long months of bad weather.
H: Where did people get salt before it came in a shaker?
G: Coastal communities evaporated seawater in shallow pans, using the sun or big fires.
G: Inland, people mined rock salt or boiled water from salty springs, and whole towns grew up around those springs.

H: I have heard that governments taxed salt heavily.
G: Because everyone needs salt, it was an easy thing to tax, and many rulers relied on it for a large share of their income.
G: In several countries, resentment of salt taxes helped fuel rebellions and protests.
H: One of those protests became quite famous.
G: A long march to the sea to make salt in defiance of a colonial law became a powerful symbol of independence.
G: It showed how an everyday substance could carry enormous political meaning.

H: Are there traces of salt's importance in our language?
G: Some people link the word salary to salt, although historians still argue about how direct that connection is.
G: Phrases about someone being worth their salt certainly remind us how highly it was once valued.
H: And today we are told to eat less of it.
G: That is a very modern problem, because for most of history the challenge was getting enough of it.

H: Do you have a favourite salt in your kitchen?
G: A flaky sea salt from a small family works on the coast, and I use it far too generously.
`,
  ),
  topic(
    'dark-skies',
    'why the night sky is disappearing and how to get it back',
    'an astronomer who campaigns for dark sky reserves',
    `
H: How much of the night sky have we actually lost to artificial light?
G: Most people in cities can see only a few dozen stars, when a truly dark sky shows several thousand.
G: A large share of humanity now lives where the Milky Way is never visible at all.
H: Why has it become so bright?
G: Street lights, advertising and buildings send a lot of light upward, where it scatters in the air and creates a glow.
G: The switch to cheap bright white lights has made the problem worse in many places, even as energy use fell.

H: Does this matter beyond disappointing stargazers?
G: Light at night disrupts animals that navigate or feed in the dark, from migrating birds to baby turtles heading for the sea.
G: It also affects human sleep, because bright light in the evening delays the hormones that help us rest.
H: What is a dark sky reserve?
G: It is an area where communities agree to use shielded, dimmer and warmer lights so the night stays naturally dark.
G: Several of them have become popular destinations for people who want to see the stars properly.

H: Can cities do anything without plunging their streets into darkness?
G: Good lighting points down, uses only as much light as needed, and turns off or dims late at night.
G: Those changes save money and often make streets feel safer, because there is less glare in people's eyes.
H: What should listeners try the next time they are somewhere dark?
G: Give your eyes twenty minutes to adjust, put your phone away, and look for the faint band of the Milky Way.
G: The first time people see it, many of them are genuinely speechless.
`,
  ),
];
