import { topic } from './topic.ts';

export const CULTURE_TOPICS = [
  topic(
    'lighthouses',
    'the long history of lighthouses and their keepers',
    'a maritime historian who has visited more than two hundred lighthouses',
    `
H: What did the very first lighthouses look like?
G: The earliest were simply fires on hilltops or towers, kept burning so ships could find a harbour at night.
G: The lighthouse of Alexandria stood for well over a thousand years and was one of the wonders of the ancient world.
H: When did they start to look like the towers we imagine today?
G: Most of the classic stone towers were built in the eighteenth and nineteenth centuries as trade by sea exploded.
G: Building them on wave swept rocks was extraordinarily dangerous, and some took many years to finish.

H: How did the light itself improve over time?
G: Candles and oil lamps gave way to a special lens made of many glass rings that bent the light into a single beam.
G: With that lens, a modest lamp could be seen more than thirty kilometres out to sea.
H: And each lighthouse had its own pattern of flashes?
G: Each one had a signature, such as two flashes every ten seconds, so sailors could tell exactly which light they were seeing.
G: Charts listed those patterns, and a navigator would count the seconds with a watch in hand.

H: What was life like for the keepers?
G: It was lonely, repetitive work, trimming wicks, polishing brass, and keeping the light burning through every storm.
G: On remote rocks, keepers could be cut off for weeks when the weather turned bad.
H: Were there many women among them?
G: More than most people assume, often widows or daughters who took over when the official keeper died.
G: Several of them became local heroes for rescuing sailors from wrecks near their towers.

H: Why are lighthouses still lit today when ships have satellite navigation?
G: Electronics fail, and a light that can be seen with the naked eye is still a valuable check for a sailor.
G: Nearly all of them are automated now, so the keepers are gone, but many towers have become museums.
H: If someone wants to visit one, what should they look for?
G: Climb to the lantern room if you can, because standing beside the great lens is like being inside a giant jewel.
`,
  ),
  topic(
    'violins',
    'what goes into restoring an old violin',
    'a luthier who restores string instruments in a small workshop',
    `
H: When an old violin comes into your workshop, what is the first thing you do?
G: I simply look at it for a long time, under good light, before I touch any tools.
G: Every crack, patch and scratch is part of its history, and some of those repairs are older than I am.
H: What kinds of damage do you see most often?
G: Cracks in the top are the most common, usually from the instrument being dropped or from changes in humidity.
G: Sometimes a previous repair was done badly, and undoing it takes longer than the original damage would have.

H: How do you open a violin without destroying it?
G: The top is held on with hide glue, which softens with a little warmth and moisture.
G: We slide a thin knife along the joint and ease the top off slowly, one section at a time.
H: Why do violin makers still use hide glue instead of modern adhesives?
G: Because it can be undone, so the next restorer in a hundred years can open the instrument again without damage.
G: Using a permanent glue on a violin is considered a serious crime in my trade.

H: Is it true that the varnish affects the sound?
G: It does to some degree, because a thick hard varnish can dampen the vibrations of the wood.
G: Famous old instruments have very thin varnish layers, and people have argued about their recipes for centuries.
H: Have the old Italian masters' secrets ever been uncovered?
G: Chemical studies suggest they treated the wood with minerals, but there is no single magic ingredient.
G: In blind listening tests, many players cannot reliably tell a great old violin from a good modern one.

H: How does it feel when a restoration is finished?
G: The best moment is when the owner plays the first few notes and their face changes.
G: I have heard instruments I spent a year on played in concert halls, and I still get nervous in the audience.
`,
  ),
  topic(
    'typography',
    'how typefaces shape the way we read',
    'a type designer who has drawn fonts for newspapers and road signs',
    `
H: Most people never think about the typeface they are reading, so why does it matter?
G: A good typeface disappears, so you only notice the words, while a bad one makes you tired without knowing why.
G: Small choices, such as the space inside letters, decide how easily the eye recognises words.
H: How long does it take to design a complete typeface?
G: A family with several weights and italics can take two or three years of careful work.
G: Every letter has to look good next to every other letter, which is thousands of combinations to check.

H: What was it like designing a typeface for road signs?
G: Drivers read signs in a fraction of a second, from a distance, often at night in the rain.
G: We tested letters on a track, with people reading signs from moving cars while we measured how far away they could read them.
H: Did those tests change your designs?
G: Letters like a lowercase e and a lowercase a needed more open shapes so they would not blur into each other.
G: We also made capital letters slightly shorter, which gave more room to the lowercase letters people actually read.

H: Are there typefaces that are better for readers with dyslexia?
G: Some fonts claim to help, but research results are mixed and the effect is often small.
G: Clear spacing, generous line length and plain language seem to matter more than any single special typeface.
H: What about typefaces for screens compared with paper?
G: Early screens had so few pixels that letters had to be drawn to fit the grid by hand.
G: Modern screens are sharp enough that many print ideas work again, which has been a relief for designers.

H: Is there a typeface you wish would disappear?
G: I try not to be a snob, because every typeface found its place by being useful to somebody.
G: I will admit, though, that I flinch whenever I see a serious warning printed in a cartoonish font.
`,
  ),
  topic(
    'libraries',
    'how public libraries are changing',
    'a librarian who runs a busy city branch',
    `
H: A lot of people assume libraries are quieter than ever because everything is online, is that true?
G: Our branch is busier than it was ten years ago, but people come for many different reasons now.
G: On a typical afternoon we have students doing homework, people applying for jobs, and toddlers at story time.
H: So books are only part of the picture?
G: Books are still the heart of it, and loans of children's books have actually gone up.
G: But we also lend laptops, internet hotspots, and even tools and musical instruments.

H: Why would a library lend out a drill or a guitar?
G: Because most people need a drill for an hour a year, and buying one just sits in a cupboard.
G: The same idea that works for books works for anything people need briefly but cannot easily afford.
H: What are the hardest parts of running a library today?
G: Librarians often end up helping people in crisis, whether that is homelessness, confusing government forms or loneliness.
G: We are not trained social workers, so some libraries now partner with them directly on site.

H: How has the shift to digital lending changed things?
G: Publishers charge libraries much more for ebooks than readers pay, and many licences expire after a set number of loans.
G: That means a popular ebook can cost a library several times the price of the printed copy.
H: That seems hard to justify.
G: Librarians have been lobbying for fairer terms, and a few places have passed laws on the issue.

H: What is your favourite thing about the job?
G: Seeing a child come in for their first library card and leave with a pile of books bigger than their head.
G: It is the one place in town where everyone is welcome and nobody asks you to buy anything.
`,
  ),
  topic(
    'postal',
    'how the postal service shaped modern life',
    'a historian who wrote a book about the history of the mail',
    `
H: We tend to think of the mail as boring, but you argue that it changed the world.
G: A cheap and reliable post let ordinary people write to each other across long distances for the first time.
G: It created habits of correspondence that shaped business, science and family life.
H: What was sending a letter like before postage stamps?
G: Usually the person receiving the letter paid, and the price depended on the distance and the number of sheets.
G: People invented clever tricks, like hiding a message in marks on the outside so the recipient could refuse to pay.

H: So the stamp solved that problem.
G: The sender paid a flat fee in advance, proved by a little printed label, and the system became simple and cheap.
G: Letter volumes exploded within a few years, and other countries quickly copied the idea.
H: How did scientists use the post?
G: Naturalists sent seeds, specimens and long letters to each other, building networks that spanned the globe.
G: Some famous theories were developed largely through hundreds of letters exchanged over decades.

H: Were there any especially unusual items sent by mail?
G: In the early days of parcel post, a few children were actually mailed to their grandparents because it was cheaper than a train ticket.
G: The rules were changed very quickly after newspapers got hold of the story.
H: That is both alarming and wonderful.
G: It tells you how much people trusted their local postal workers at the time.

H: Does the mail still matter in an age of email?
G: Letters have declined, but parcels have grown enormously with online shopping.
G: In remote areas, the post office is often the last public service left in town, and that counts for a lot.
`,
  ),
  topic(
    'maps',
    'why every map is a compromise',
    'a cartographer who teaches map design',
    `
H: You like to say that every map lies, so what do you mean by that?
G: The Earth is round and a map is flat, so something always has to be stretched, squeezed or cut.
G: A mapmaker decides which distortions are acceptable for what the map is meant to do.
H: The classic example is the map that makes Greenland look as big as Africa.
G: That projection keeps angles correct, which is wonderful for navigation with a compass.
G: The price is that areas near the poles are hugely exaggerated, and Africa is really about fourteen times larger.

H: So why did that projection become the one on every classroom wall?
G: Partly habit, and partly because early map publishers reused what sailors and surveyors already had.
G: Many schools now use compromise projections that distort everything a little instead of some places a lot.
H: What other choices do mapmakers make that people do not notice?
G: What to leave out is probably the biggest decision, because a map showing everything is unreadable.
G: Even the choice of which town names to print can quietly tell you what the mapmaker thought was important.

H: How have online maps changed the field?
G: They let us zoom smoothly from the whole planet to a single street, which needs different rules at every scale.
G: A road that deserves a thick line at one zoom level might disappear entirely at another.
H: Are there mistakes that have lasted a long time on maps?
G: There were imaginary islands that stayed on charts for centuries because nobody went looking for them.
G: One was only removed after a research ship sailed straight through the spot where it was supposed to be.

H: What makes a map beautiful in your eyes?
G: When it answers one question clearly and lets you discover a second question on your own.
`,
  ),
  topic(
    'chess-engines',
    'how computers learned to play chess better than any human',
    'a software engineer who has written chess programs since she was a teenager',
    `
H: How does a traditional chess program decide on a move?
G: It looks ahead through possible moves and replies, building a huge tree of positions.
G: At the end of each branch it scores the position, and then picks the move that leads to the best score.
H: But the tree must grow impossibly fast.
G: It does, so programs prune away branches that obviously cannot matter, and that trick saves almost all the work.
G: A good engine can still examine tens of millions of positions every second on a normal laptop.

H: What changed when neural networks came along?
G: Instead of rules written by humans, a network learned to judge positions by playing millions of games against itself.
G: It developed a style that grandmasters described as strangely human, with bold sacrifices for long term pressure.
H: Did that change how people play the game?
G: Top players now prepare with engines constantly, and some old opening ideas came back into fashion as a result.
G: Young players in particular learned to value activity and initiative more than their teachers did.

H: Has computer dominance made chess less interesting for humans?
G: Surprisingly, chess is more popular than ever, with online games and streaming bringing in millions of new players.
G: People still enjoy watching humans struggle, make mistakes and recover, which machines simply do not do.
H: What about cheating, since a phone in a pocket is stronger than any champion?
G: It is a real problem, and tournaments now use metal detectors and delayed broadcasts.
G: Online sites run statistical checks that compare moves with engine choices over many games.

H: Do you still play yourself?
G: Every day, and I lose to my own program every time, which keeps me humble.
`,
  ),
  topic(
    'bicycles',
    'how the bicycle got its shape',
    'a design historian who collects old bicycles',
    `
H: The bicycle seems so simple, but it took a long time to arrive at the shape we know, right?
G: The earliest versions had no pedals at all, and riders pushed along the ground with their feet.
G: Pedals were first fixed directly to the front wheel, which is why that wheel grew so enormous.
H: That is the famous penny farthing with the giant front wheel.
G: A larger wheel meant more distance per turn of the pedals, so racers wanted them as big as their legs allowed.
G: Falling forward over the handlebars from that height was common and often serious.

H: So what made the modern design win?
G: The chain drive to the rear wheel let both wheels be the same modest size without losing speed.
G: People called it the safety bicycle, and within a few years it had replaced the high wheelers almost entirely.
H: And air filled tyres arrived around the same time?
G: They did, and they transformed comfort on the rough roads of the day.
G: A doctor reportedly developed an early version to make his son's tricycle less bumpy.

H: Did the bicycle have a social impact beyond transport?
G: It gave many women a new independence, because they could travel without a chaperone or a carriage.
G: It even changed clothing, because long heavy skirts were dangerous near a chain.
H: What are the most interesting recent changes in bicycle design?
G: Electric assistance is the big one, bringing cycling to people who found hills or distance too hard.
G: Cargo bikes that carry children or shopping are also replacing cars for many short trips in cities.

H: Do you have a favourite bicycle in your collection?
G: An old delivery bike with a huge basket, because it spent fifty years doing honest work and still rides beautifully.
`,
  ),
];
