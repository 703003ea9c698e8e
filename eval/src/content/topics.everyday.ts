import { topic } from './topic.ts';

export const EVERYDAY_TOPICS = [
  topic(
    'sourdough',
    'the microbes that make sourdough bread rise',
    'a food microbiologist who collects sourdough starters from around the world',
    `
H: What is actually living inside a jar of sourdough starter?
G: A community of wild yeasts and lactic acid bacteria that have settled into a stable partnership.
G: The yeasts make the gas that raises the bread, and the bacteria make the acids that give it its tang.
H: Where do those microbes come from in the first place?
G: Mostly from the flour itself, and to a surprising extent from the hands of the baker.
G: We found that starters from bakers in the same city can differ more than starters from different continents.

H: Is it true that some starters are more than a hundred years old?
G: Some families claim starters that crossed oceans with their ancestors, and they may well be right.
G: But the microbes in an old starter can change over time, so it is a bit like an old family house that has been rebuilt many times.
H: Why does sourdough taste so different from bread made with baker's yeast?
G: The long slow fermentation lets bacteria produce acids and aromas that a quick rise never has time to develop.
G: The acids also help the bread stay fresh longer and slow down mould.

H: Some people say sourdough is easier to digest, is there anything to that?
G: The long fermentation breaks down some of the carbohydrates that bother people with sensitive stomachs.
G: It is not safe for people with coeliac disease, though, because the gluten is still there.
H: What is the most common mistake home bakers make?
G: Using a starter before it is properly active, and then blaming themselves when the loaf stays flat.
G: A lively starter should roughly double within a few hours of feeding, and it should smell pleasantly sour.

H: What is your favourite starter in the collection?
G: One from a small bakery in the mountains that smells a bit like green apples.
G: We still do not know which microbe is responsible for that smell, and I love that little mystery.
`,
  ),
  topic(
    'coffee',
    'what happens to a coffee bean in the roaster',
    'a coffee roaster who trained as a chemical engineer',
    `
H: A green coffee bean does not smell anything like coffee, so what does roasting actually do?
G: Heat drives off water and then sets off hundreds of chemical reactions that create the aromas we recognise.
G: A raw bean smells grassy, and by the end of the roast it holds more than a thousand aroma compounds.
H: Roasters always talk about the first crack, so what is that?
G: Steam builds up inside the bean until the structure splits with a pop, a bit like popcorn but quieter.
G: It is the main signal a roaster listens for, because the flavour changes quickly after it.

H: How do light roasts and dark roasts differ?
G: Light roasts keep more of the fruity and floral notes that come from where the coffee was grown.
G: Dark roasts taste more of the roast itself, with bitterness and smoky flavours covering the origin.
H: Is there more caffeine in one than the other?
G: Almost the same per bean, but dark roasted beans are lighter, so a scoop of them can hold slightly less.
G: The difference is small enough that your cup size matters far more.

H: Why does freshly roasted coffee need to rest before brewing?
G: Beans release lots of carbon dioxide for several days, which can make brewing uneven if the coffee is too fresh.
G: After about a week, the flavour is usually at its best, and then it slowly fades.
H: How should people store coffee at home?
G: In an airtight container away from light and heat, and ideally ground just before brewing.
G: The freezer works for longer storage, as long as you do not keep taking the beans in and out.

H: What is the most important thing you learned moving from engineering to roasting?
G: That measurements help a lot, but in the end you have to taste every batch and trust your senses.
`,
  ),
  topic(
    'cheese',
    'why cheese is aged in caves',
    'a cheesemaker who ages cheese in an old railway tunnel',
    `
H: You age your cheese in a railway tunnel, which is not something I expected to hear today.
G: The tunnel stays at about the same temperature and humidity all year round, which is exactly what aging cheese needs.
G: Before refrigeration, cheesemakers all over the world relied on caves and cellars for the same reason.
H: What is happening to a cheese while it sits there for months?
G: Enzymes and microbes slowly break down proteins and fats into smaller molecules that carry flavour.
G: A young cheese tastes mild and milky, while an old one becomes nutty, savoury and sometimes crunchy.

H: What are those little crunchy crystals in aged cheese?
G: Many are crystals of an amino acid that forms as proteins break down over a long time.
G: People sometimes think they are salt, but they are really a sign of a well aged cheese.
H: Does the rind matter, or is it just a wrapper?
G: The rind is a living layer of moulds and bacteria, and each cave develops its own mix.
G: Moving a cheese to a different cellar can noticeably change its flavour within a few weeks.

H: How much work does a cheese need while it ages?
G: Many wheels are turned and brushed by hand regularly, so the moisture spreads evenly and the rind grows properly.
G: In a big cave that can mean thousands of wheels, so some places now use robots to do the turning.
H: Robots in a cheese cave sounds delightfully odd.
G: They are slow and careful, and honestly they do not complain about the cold as much as I do.

H: What should someone look for when buying a good cheese?
G: Ask to taste it, ask how old it is, and ask the seller what they would eat tonight.
G: A good cheesemonger loves that question and will usually give you something you would never have picked yourself.
`,
  ),
  topic(
    'compost',
    'how a compost heap turns scraps into soil',
    'a soil scientist who runs community composting workshops',
    `
H: Lots of people have a compost bin that just sits there and smells, so what are they doing wrong?
G: Usually it is too wet and has too many kitchen scraps compared with dry brown material like leaves or cardboard.
G: Without air, the wrong microbes take over, and those are the ones that produce the bad smells.
H: So the heap needs a balance of ingredients.
G: A rough rule is two or three buckets of brown material for every bucket of green food waste.
G: Mix them well, keep it as damp as a wrung out sponge, and turn it now and then to let air in.

H: I have heard that a good heap gets surprisingly hot.
G: A big well built heap can reach sixty degrees in the middle within a few days.
G: That heat comes entirely from microbes breaking down the material as fast as they can.
H: What happens as it cools down?
G: Fungi and larger creatures like worms, mites and beetles move in and continue the work more slowly.
G: After a few months you get dark crumbly compost that smells like a forest floor.

H: Can you compost meat and dairy at home?
G: Most home bins do not get hot enough to handle them safely, and they tend to attract rats.
G: Community schemes with large hot systems can often take them, so it is worth asking locally.
H: Why should someone bother when the rubbish truck takes everything anyway?
G: Food waste in landfill rots without air and releases methane, which is a strong greenhouse gas.
G: Composting keeps those nutrients in the soil where they can grow more food.

H: What is the one tip you would give a beginner?
G: Keep a bag of dry leaves next to the bin, and add a handful every time you add scraps.
`,
  ),
  topic(
    'running',
    'what happens in the body during a marathon',
    'a sports physiologist who has run twenty marathons herself',
    `
H: What is the biggest challenge the body faces during a marathon?
G: Running out of stored carbohydrate, which is the fuel muscles prefer when working hard.
G: Most people carry enough for about thirty kilometres, which is why the last part of the race feels so brutal.
H: That is the famous wall that runners talk about.
G: When those stores run low, the body has to rely more on fat, which releases energy more slowly.
G: Your pace drops, your legs feel heavy, and even simple decisions start to feel difficult.

H: How do runners avoid hitting that wall?
G: Eating plenty of carbohydrate in the days before the race fills up the stores in the muscles and liver.
G: Taking in sugary drinks or gels during the race also helps, and stomachs can actually be trained to handle them.
H: What about drinking water, is more always better?
G: Drinking far too much can be dangerous, because it dilutes the salt in your blood.
G: The usual advice now is to drink when you are thirsty rather than forcing down water at every station.

H: How does training change the body over the months before a race?
G: Muscles grow more tiny blood vessels and more mitochondria, the structures that turn fuel into energy.
G: The heart pumps more blood with every beat, so the resting heart rate of a trained runner often drops a lot.
H: Is there a right age to stop running marathons?
G: People in their seventies and eighties finish marathons every year, and their performances keep improving.
G: Recovery takes longer with age, but the benefits of staying active clearly outweigh the risks for most people.

H: What is your advice for someone attempting their first one?
G: Start slower than you think you should, because the second half is where the race really begins.
`,
  ),
  topic(
    'languages',
    'learning a new language as an adult',
    'a linguist who studies how adults learn second languages',
    `
H: Is it true that adults are worse at learning languages than children?
G: Adults actually learn vocabulary and grammar faster at first, because they can use strategies and explanations.
G: Children have the advantage over the long run, especially when it comes to sounding like a native speaker.
H: Why is the accent so hard to lose?
G: By adulthood, our ears have tuned themselves to the sounds of our first language and tend to ignore differences that do not matter in it.
G: Some sounds in a new language simply register as the same sound, so we cannot produce a difference we do not hear.

H: Can that kind of hearing be trained?
G: Yes, with focused listening exercises that contrast similar sounds and give immediate feedback.
G: A few hours of that kind of practice can improve both hearing and pronunciation noticeably.
H: What is the most effective way for an adult to learn?
G: Lots of meaningful input, such as stories, shows and conversations that you can mostly follow.
G: Grammar study helps, but it works best as a support for that input rather than a replacement for it.

H: What about apps that promise fluency in a few minutes a day?
G: They are good for building a habit and learning words, but a few minutes a day will not make anyone fluent.
G: Real conversation with people, even when it feels awkward, is where most progress happens.
H: Is there an age where it becomes too late?
G: I have seen people start in their seventies and reach comfortable conversation within a couple of years.
G: Motivation and regular practice matter much more than the number on your birth certificate.

H: What was the hardest language you ever tried to learn?
G: One with a dozen noun classes and tones, and I still cannot order coffee without someone smiling at me.
`,
  ),
  topic(
    'shipping',
    'how the shipping container changed the global economy',
    'an economist who studies ports and trade',
    `
H: Why do economists get so excited about a plain steel box?
G: Before containers, every sack and crate was loaded by hand, and a ship could spend a week in port.
G: Standard boxes that fit on ships, trains and trucks cut that time to a day and slashed the cost of moving goods.
H: How much cheaper did shipping become?
G: Loading costs fell by more than ninety percent within a couple of decades.
G: That made it worthwhile to build products from parts made in many different countries.

H: What happened to the old port cities and their workers?
G: Huge numbers of dock jobs disappeared, and many harbours in city centres fell empty.
G: New container terminals needed deep water and lots of flat land, so they were built in different places.
H: And those old docks became apartments and restaurants.
G: In many cities, yes, and some of the most expensive homes now sit where warehouses once stood.

H: How big have container ships become?
G: The largest carry more than twenty thousand containers, and they are longer than four football pitches.
G: Only a handful of ports in the world have cranes tall enough to reach across them.
H: Does that size create new risks?
G: When one giant ship got stuck in a canal a few years ago, it held up a noticeable share of world trade for nearly a week.
G: It showed how much the system depends on a few narrow passages running smoothly.

H: What does the future of shipping look like to you?
G: The big challenge is fuel, because ships burn huge amounts of heavy oil and must switch to cleaner options.
G: Trials with ammonia and methanol are underway, but the ships and the supply chains still need to be built.
`,
  ),
  topic(
    'acoustics',
    'why some restaurants are so loud and how to fix them',
    'an acoustic engineer who designs quiet public spaces',
    `
H: Why do so many restaurants feel painfully loud these days?
G: Fashionable interiors use hard surfaces like concrete, glass and bare wood, which reflect sound instead of absorbing it.
G: The noise builds up, everyone raises their voice to be heard, and the room gets louder still.
H: So the diners are making the problem worse themselves.
G: Exactly, it is a feedback loop, and it can push the sound level up to that of a busy road.
G: Older diners and people with hearing aids often stop going out because they simply cannot follow a conversation.

H: How do you fix a room like that without ruining its style?
G: Panels that absorb sound can be hidden on the ceiling, disguised as art, or covered in printed fabric.
G: Even soft chair seats, curtains and a few plants can bring the level down noticeably.
H: Is there a way to measure how a room will sound before it is built?
G: We build computer models that trace how sound bounces around the space, and we can even listen to a simulation.
G: Owners are often shocked when they hear their planned dining room before they pay for it.

H: Some restaurants say the noise creates a lively atmosphere.
G: A little buzz is pleasant, but there is a clear point where people start shouting, and nobody enjoys that.
G: Studies suggest that loud rooms make people eat faster and drink more, which may explain some choices.
H: That is a slightly cynical explanation.
G: It is, and I like to believe that most owners simply never thought about acoustics at all.

H: What can a diner do if they are stuck in a noisy room?
G: Ask for a corner table or a booth, because walls and high seat backs block a surprising amount of noise.
`,
  ),
];
