import { topic } from './topic.ts';

export const NATURE_TOPICS = [
  topic(
    'swarms',
    'how a honeybee swarm chooses a new home',
    'a biologist who has spent ten summers watching swarms',
    `
H: When a colony gets too crowded, the old queen leaves with thousands of workers, so where do they actually go first?
G: They usually settle on a branch close to the old hive and hang there in a big clump while scouts go looking.
G: Only a few hundred bees out of many thousands do the searching, and they fly several kilometres in every direction.
H: And how does a scout tell the others that she has found something good?
G: She comes back to the clump and performs a waggle dance that points toward the site and says how far away it is.
G: The better she thinks the cavity is, the longer and more enthusiastically she keeps dancing.

H: So what makes a cavity good in the eyes of a honeybee?
G: They want a dry hollow of about forty litres, with a small entrance near the bottom that faces south.
G: Scouts actually walk around inside and measure the volume by pacing, which still amazes me.
H: Do different scouts ever fall in love with different sites?
G: All the time, and for a while the swarm looks like a noisy election with several candidates.
G: Scouts for a weaker site gradually stop dancing, while support for the best site grows and grows.

H: How does the swarm know when the debate is over?
G: They use a quorum, which means that once about fifteen scouts are at the same site together, the decision is made.
G: Those scouts fly back and start making a piping sound that tells everyone to warm up their flight muscles.
H: And then thousands of bees take off together, even though most of them have never seen the new home?
G: Exactly, and the few scouts who know the way streak through the cloud to steer everybody in the right direction.
G: The whole trip takes a few minutes, and the swarm lands at an entrance that most of them are seeing for the first time.

H: People have compared this process to how committees make decisions, is that fair?
G: I think bees do better than most committees, because every scout checks the site herself before she joins in.
G: Nobody simply copies the loudest voice, and that independence is what keeps the group from rushing into a bad choice.
H: That is a lesson I might take to my next staff meeting.
G: Please do, although I would skip the part where everyone dances in the conference room.
`,
  ),
  topic(
    'vents',
    'the strange life around deep sea hydrothermal vents',
    'a marine geochemist who has made twelve dives in a research submarine',
    `
H: For people who have never heard of them, what exactly is a hydrothermal vent?
G: It is a crack in the sea floor where seawater seeps down, gets heated by magma, and shoots back up full of minerals.
G: The water coming out can be hotter than three hundred degrees, but the enormous pressure keeps it from boiling.
H: And somehow there is life right next to that?
G: There are whole communities of tube worms, clams, shrimp and crabs living within a few metres of the chimneys.
G: None of them depend on sunlight, because at those depths there is no sunlight at all.

H: So what is the base of the food chain if it is not plants?
G: Bacteria that get their energy from chemicals like hydrogen sulfide, which is the same stuff that makes rotten eggs smell.
G: The giant tube worms have no mouth and no gut, and instead they carry those bacteria inside their bodies.
H: That sounds like a partnership that must be very old.
G: Some researchers think vents like these may be where life on Earth began in the first place.
G: The chemistry around a chimney provides energy and raw material without needing anything from the surface.

H: What is it actually like to dive down there in a small submarine?
G: It takes about two hours to sink to the bottom, and the sphere you sit in is barely wide enough for three people.
G: It gets cold inside, so we wear wool sweaters and thick socks even if we left from a tropical port.
H: And what is the first thing you notice when you arrive?
G: The lights reveal chimneys taller than a house, with black clouds of mineral particles billowing out of the tops.
G: Then you notice that every surface is crawling with animals, which feels impossible in such a hostile place.

H: Are these places under any threat?
G: Mining companies are interested in the metals that build up around old vents, including copper, zinc and gold.
G: We still know so little about these ecosystems that damaging them now would be like burning a library before reading it.
H: What would you like listeners to take away from this?
G: That the deep sea is not an empty desert, and that there are still entire worlds on our own planet waiting to be understood.
`,
  ),
  topic(
    'octopus',
    'what makes the octopus such a clever animal',
    'a neuroscientist who runs a small cephalopod lab',
    `
H: Everyone seems to have a favourite story about a clever octopus, so what is yours?
G: One of ours learned to squirt water at a particular lamp until it short circuited, apparently because it disliked the light.
G: We replaced that lamp three times before anyone caught her doing it.
H: Is that real intelligence, or are we reading too much into it?
G: They solve puzzles, open jars, and remember individual people, so I think calling it intelligence is fair.
G: What makes it fascinating is that it evolved completely separately from the intelligence of mammals and birds.

H: How is an octopus brain different from ours?
G: Most of its neurons are not in the head at all, but spread through the eight arms.
G: Each arm can taste, touch and make simple decisions on its own, almost like having eight helpers.
H: So the arms can act without being told what to do?
G: In experiments, an arm that has been separated will still reach for food and pass it toward where the mouth would be.
G: The central brain seems to set goals while the arms work out many of the details by themselves.

H: And then there is the camouflage, which looks almost magical in videos.
G: Their skin contains millions of pigment cells that can be opened or closed in a fraction of a second.
G: They can even change the texture of their skin to look like rock, coral or seaweed.
H: Is it true that they are colour blind?
G: Their eyes have only one kind of light receptor, so by the usual rules they should not see colour at all.
G: How they match the colours around them so well is still one of the big open questions in the field.

H: Given all of this, why do octopuses live such short lives?
G: Most species live only a year or two, and females usually die shortly after their eggs hatch.
G: It is strange to invest so much brain in an animal that has so little time to use what it learns.
H: Maybe they simply learn faster than we do.
G: That is one idea, and honestly, after watching them, I would not bet against it.
`,
  ),
  topic(
    'migration',
    'how migrating birds find their way across continents',
    'an ornithologist who studies night migration with radar',
    `
H: Every autumn billions of birds set off on journeys of thousands of kilometres, so how do they know where to go?
G: Young birds are born with a built in direction and distance, almost like an instruction to fly south west for a set time.
G: Experience then adds landmarks, coastlines and mountain ranges to that inherited plan.
H: But many of them fly at night, so they cannot be looking at landmarks all the time.
G: That is right, and night migrants use the stars, especially the point in the sky that the stars turn around.
G: In planetarium experiments, birds changed direction when the projected sky was rotated.

H: I have also heard that birds can sense the magnetic field of the Earth.
G: They can, and the leading idea is that a protein in their eyes reacts to the magnetic field when light hits it.
G: If that is correct, the birds may literally see a faint pattern laid over the landscape.
H: That sounds like science fiction.
G: It does, and the evidence is still being debated, but experiments with weak radio noise disrupt their orientation.
G: Whatever the mechanism, they clearly have several compasses and can check one against another.

H: How does radar help you study something as small as a songbird?
G: Weather radars pick up large flocks, and on busy nights the screen fills with a bloom of migrating birds.
G: We can measure how many are flying, at what altitude, and in which direction, across an entire country.
H: What have you learned from those radar images?
G: Migration happens in huge pulses, with most birds waiting for a favourable tail wind before they set off.
G: A single good night in spring can carry hundreds of millions of birds across one region.

H: What puts these journeys at risk today?
G: Bright lights in cities confuse night migrants and draw them into buildings, which kills enormous numbers every year.
G: Turning off unnecessary lights during peak nights is one of the easiest conservation measures we know of.
H: So listeners can actually help by switching off the porch light?
G: Yes, especially in late spring and early autumn, and it also saves a little money on the electricity bill.
`,
  ),
  topic(
    'fungi',
    'the hidden networks that fungi build underground',
    'a soil ecologist who maps fungal networks in old forests',
    `
H: When most people think of fungi, they think of mushrooms, but that is not really the main part, is it?
G: A mushroom is only the fruit, and the real organism is a web of thin threads running through the soil.
G: In a handful of healthy forest soil there can be many kilometres of those threads.
H: And those threads connect to the roots of trees?
G: Most plants form partnerships with fungi, which bring them water and minerals in exchange for sugar.
G: The fungus can reach into tiny pores in the soil that roots are simply too thick to enter.

H: Some people talk about a wood wide web where trees share food through the fungi, is that real?
G: There is good evidence that carbon can move between trees through shared fungal networks.
G: What is much less certain is whether trees are deliberately helping each other or whether the fungus is just moving resources around.
H: So the popular story might be a little too romantic?
G: I would say the story got ahead of the data, and some famous claims rest on a handful of small studies.
G: The network is real and important, but we should be careful about describing forests as caring families.

H: How do you actually map something invisible that lives underground?
G: We take soil cores in a grid and read the fungal genetic material in each one.
G: By matching the genetic fingerprints, we can see where a single individual fungus spreads across a hillside.
H: How large can one of those individuals get?
G: Some honey fungus colonies cover several square kilometres and are thought to be thousands of years old.
G: By some measures, they are among the largest living things on the planet.

H: Why should a farmer or a gardener care about any of this?
G: Heavy tilling and some fertilisers break up fungal networks, and plants then need more water and more chemicals.
G: Gardens with less digging and more organic matter tend to build richer fungal life over a few seasons.
H: So the advice is to dig less?
G: Dig less, keep the soil covered, and let a few leaves rot where they fall.
`,
  ),
  topic(
    'kelp',
    'why kelp forests are disappearing and how divers are bringing them back',
    'a marine ecologist who leads a kelp restoration project',
    `
H: For listeners who have never seen one, what does a kelp forest look like from underwater?
G: Imagine a forest of golden brown stalks rising twenty metres from the rocks to the surface, with light filtering down through them.
G: Fish swim between the fronds like birds in a woodland, and seals often come by to see what you are doing.
H: And these forests have been shrinking along many coasts?
G: In some places we have lost more than ninety percent of the kelp within a decade.
G: A marine heat wave weakened the kelp, and then sea urchins moved in and ate almost everything that remained.

H: Why did the urchins suddenly become such a problem?
G: A disease wiped out the sunflower sea stars that used to eat them, so nothing was keeping their numbers in check.
G: Without predators, urchins form vast carpets that can graze a reef down to bare rock.
H: What do divers do to restore the kelp?
G: Volunteers remove urchins by hand from small patches, and the kelp often returns within a season.
G: We also grow young kelp on ropes in a nursery and move them out to cleared reefs.

H: Is there any use for all the urchins that get removed?
G: Some are sold to restaurants, because urchin roe is a delicacy if the animals are fed well first.
G: Starving urchins from barren reefs are nearly empty, so ranchers fatten them up for a few weeks.
H: That sounds like a neat way to pay for some of the work.
G: It helps, although the scale of the problem is much larger than any market for sea urchins.

H: What gives you hope after watching so much of the kelp disappear?
G: Where we have cleared patches and protected them, fish and invertebrates came back far faster than we expected.
G: Kelp grows astonishingly fast, sometimes half a metre in a single day, so the forest can return if we give it a chance.
`,
  ),
  topic(
    'beavers',
    'how beavers are being used to restore rivers',
    'a hydrologist who studies beaver dams on mountain streams',
    `
H: It sounds strange to call a rodent an engineer, but that is what many people call the beaver, right?
G: Beavers reshape entire valleys, so I think engineer is a fair title.
G: A single family can build a series of dams that slows a stream and spreads water across the whole valley floor.
H: Why is spreading water out a good thing?
G: A straight fast channel drains the land quickly, while a wet valley holds water like a sponge through the dry season.
G: Downstream farmers often see more reliable flows in late summer after beavers move in upstream.

H: Are there benefits during fires as well?
G: After some big wildfires, aerial photos showed bright green strips of land along beaver ponds in the middle of burnt valleys.
G: Those wet areas act as refuges where animals can survive while everything around them burns.
H: If beavers are so helpful, why were they removed in the first place?
G: They were trapped almost to extinction for the fur trade, and later they were seen as pests that flooded roads and fields.
G: Many streams we think of as natural are actually what a valley looks like after its beavers were taken away.

H: How do you bring beavers back without causing new conflicts with landowners?
G: We start by building simple wooden structures that mimic beaver dams and make the stream more welcoming.
G: Where beavers cause flooding, a pipe through the dam can keep the pond at a level that people can live with.
H: So it is about managing the relationship rather than letting them do whatever they want?
G: Exactly, because beavers will always choose the spot that suits a beaver, not the one that suits a road engineer.

H: What surprised you most in your own research?
G: How fast things change, because within three years a stream can go from a narrow ditch to a wetland full of birds.
G: I started out measuring water, but now I spend half my time trying to count all the frogs.
`,
  ),
  topic(
    'glaciers',
    'what ice cores tell us about the climate of the past',
    'a glaciologist who has drilled ice cores in Greenland and Antarctica',
    `
H: What exactly is an ice core, and why go to such lengths to collect one?
G: It is a long cylinder of ice drilled out of a glacier, and each layer records the snow of a particular year.
G: The deepest cores reach ice that fell as snow more than eight hundred thousand years ago.
H: How can old ice tell you about the air at that time?
G: When snow turns into ice, tiny bubbles of air get trapped, and those bubbles are samples of the ancient atmosphere.
G: We crush the ice in a vacuum and measure how much carbon dioxide and methane the bubbles contain.

H: And what about temperature, since there were obviously no thermometers?
G: The ratio of heavy and light forms of water in the ice depends on how cold it was when the snow formed.
G: By measuring that ratio layer by layer, we can reconstruct temperatures over hundreds of thousands of years.
H: What is the big picture that comes out of those records?
G: Ice ages came and went in a regular rhythm, and carbon dioxide rose and fell closely together with temperature.
G: Today carbon dioxide is far higher than at any point in the entire record, and it got there in a historical blink.

H: What is daily life like at a drilling camp?
G: You live in tents or small huts on a flat white plain, and in summer the sun never sets.
G: The drill runs around the clock, so people work in shifts and learn to sleep with eye masks.
H: Are there any moments that stand out?
G: Holding a piece of ice that fell as snow before humans ever left Africa is something I never get used to.
G: We also find layers of volcanic ash, which let us date the ice against eruptions recorded elsewhere.

H: Are glaciers themselves changing fast enough to threaten these archives?
G: Some mountain glaciers are melting so quickly that their oldest layers are already gone.
G: There is now a project to store ice cores from vanishing glaciers in a freezer cave in Antarctica for future scientists.
H: An ice library for researchers who have not been born yet.
G: That is exactly how we think of it, and I hope they will have better tools than we do to read it.
`,
  ),
];
