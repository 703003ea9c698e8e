import { topic } from './topic.ts';

export const SCIENCE_TOPICS = [
  topic(
    'gps',
    'how the satellites behind your phone map actually work',
    'a navigation engineer who has worked on satellite receivers for twenty years',
    `
H: Most of us use satellite navigation every day without thinking about it, so what is really going on inside the phone?
G: The phone listens for signals from several satellites, and each signal says exactly when it was sent.
G: By comparing the send times with the arrival time, the phone works out how far away each satellite is.
H: And with enough distances it can work out where you are standing?
G: Four satellites are enough to solve for your position in three dimensions and for the error in your own clock.
G: In practice the phone uses many more, which makes the answer much more robust.

H: I have heard that relativity actually matters for this system.
G: It does, because the satellite clocks run slightly fast compared with clocks on the ground.
G: If engineers ignored that effect, positions would drift by around ten kilometres every single day.
H: So Einstein is quietly helping me find the nearest coffee shop.
G: In a very real sense he is, and the correction is built into the clocks before launch.

H: Why does the blue dot sometimes jump around when I walk between tall buildings?
G: Signals bounce off glass and concrete, so the receiver sees a delayed echo and thinks the satellite is farther away.
G: Phones fight this by mixing in Wi-Fi networks, motion sensors and the map itself to guess where you probably are.
H: Is that why my position snaps to the road when I am driving?
G: Exactly, the software assumes that cars tend to stay on roads, which is usually a safe bet.

H: What is the next big improvement coming to these systems?
G: Newer satellites broadcast on two frequencies, and a receiver that hears both can cancel most of the delay caused by the upper atmosphere.
G: That pushes everyday accuracy from several metres down to about one metre for ordinary phones.
H: And what worries you about relying on it so much?
G: The signals are extremely weak by the time they reach the ground, so they are easy to jam or imitate.
G: Ships and aircraft have been fooled by fake signals, which is why backup systems deserve more attention than they get.
`,
  ),
  topic(
    'sleep',
    'what the brain does with memories while we sleep',
    'a sleep researcher who runs an overnight laboratory',
    `
H: Many people think of sleep as the brain switching off, but that is not what you see in the lab, is it?
G: Not at all, because some parts of the brain are about as active during sleep as they are during the day.
G: The work it is doing is different, and a lot of it seems to involve sorting the day's experiences.
H: How do you know that memories are being processed at night?
G: In rats, cells that fired in a particular pattern while running a maze fire in the same pattern again during sleep.
G: It is as if the animal replays the route, only much faster than it ran it.

H: Does the same thing happen in people?
G: People who learn a task in the evening and then sleep usually perform better the next morning than those who stay awake.
G: The improvement is strongest after nights with plenty of deep slow wave sleep early in the night.
H: And what about dreaming, is that part of it too?
G: Dreams often mix fragments of recent events with older memories, which may help link new information to what we already know.
G: But honestly, we still do not have a clear answer to why we dream at all.

H: Can you actually strengthen a particular memory while someone is asleep?
G: In some studies, a sound played during learning was played again quietly during deep sleep.
G: The memories linked to that sound were remembered better than others, which is a remarkable result.
H: Could students use that trick before an exam?
G: I would not build a study plan around it yet, because the effects are small and easy to disrupt by waking the sleeper.

H: So what is the practical advice for someone who wants to learn better?
G: Sleep well after studying, rather than staying up all night to cram.
G: A night of poor sleep before a test hurts performance more than an extra hour of revision helps it.
H: That is the most welcome advice I have heard all week.
G: It is also the advice I struggle to follow myself whenever a deadline is close.
`,
  ),
  topic(
    'volcanoes',
    'how scientists forecast volcanic eruptions',
    'a volcanologist who works at a monitoring observatory',
    `
H: Can anyone really predict when a volcano is going to erupt?
G: We cannot give an exact date, but we can often say that the chance of an eruption has gone up sharply.
G: It is a lot like a weather forecast, where we talk about probabilities instead of certainties.
H: What are the signs that a volcano is waking up?
G: Small earthquakes beneath the mountain are usually the first clue that magma is moving.
G: The ground itself can swell by several centimetres as magma pushes up from below.

H: How do you measure swelling that small on a whole mountain?
G: We use very precise satellite positioning stations and radar images taken from orbit.
G: Comparing two radar images taken weeks apart shows the ground movement as colourful rings.
H: And you also look at the gases coming out?
G: A rise in sulfur dioxide often tells us that fresh magma is close to the surface.
G: Some of our team fly drones through the plume to sample gases that would be dangerous to approach on foot.

H: What happens when the signs point toward an eruption?
G: We brief local authorities, who decide on warnings, road closures and evacuations.
G: The hardest part is that a volcano can show every warning sign and then calm down without erupting.
H: That must make people sceptical the next time.
G: It does, so we spend a lot of effort explaining uncertainty honestly and visiting the towns near the volcano in quiet years.

H: Is there one eruption that changed the way your field works?
G: An eruption decades ago in the Andes buried a town after warnings were not acted on in time.
G: It pushed volcanologists to focus as much on communication and planning as on the instruments themselves.
H: So forecasting is partly a social science as well.
G: I would say it is at least half a social science, and that half is often the hardest.
`,
  ),
  topic(
    'fireworks',
    'the chemistry hidden inside a firework',
    'a chemist who designs fireworks displays for festivals',
    `
H: When people watch fireworks, they see colour and noise, but what do you see as a chemist?
G: I see metal salts being heated until their electrons jump up and then fall back while giving off light.
G: Every metal releases its own particular colours, which is the same physics astronomers use to study stars.
H: So which metals give which colours?
G: Strontium gives red, barium gives green, copper gives blue, and sodium gives a strong yellow.
G: Sodium is actually a nuisance, because even a trace of it can wash out the other colours.

H: I have heard that blue is the hardest colour to make.
G: Blue is notoriously difficult, because the copper compounds that make it fall apart if the flame gets too hot.
G: A clean deep blue is a bit of a badge of honour among people who make fireworks.
H: How is a shell actually built?
G: A paper shell holds small pellets called stars packed around a charge that bursts the shell at the top of its flight.
G: The arrangement of the stars inside decides the shape you see, such as a sphere, a ring or even a heart.

H: How do you time a big display to music?
G: Modern shows are fired by computer, with each shell given a launch time so it bursts exactly on a beat.
G: We have to subtract the flight time of every shell, which can be several seconds for the big ones.
H: That sounds like a very stressful spreadsheet.
G: It is a very large spreadsheet, and I check it many more times than I would like to admit.

H: What about the environmental side, since fireworks leave smoke and chemicals behind?
G: The industry has been replacing some older chemicals that harm the thyroid with safer alternatives.
G: Smokeless fuels based on nitrogen compounds are also being tested, although they are still expensive.
H: Do you still enjoy watching fireworks yourself?
G: Always, although I tend to watch the crowd during my own shows, because their faces tell me whether it worked.
`,
  ),
  topic(
    'solar-sails',
    'spacecraft that sail on sunlight',
    'an aerospace engineer who worked on a solar sail mission',
    `
H: A ship that sails on sunlight sounds like a fairy tale, so how does it work?
G: Light carries momentum, so when it bounces off a mirror it gives the mirror a tiny push.
G: Make the mirror huge and very light, and that push can slowly accelerate a spacecraft without any fuel.
H: How tiny is the push we are talking about?
G: Near the Earth, sunlight on a sail the size of a tennis court pushes with about the weight of a few grains of rice.
G: It seems like nothing, but it never stops, and over months the speed adds up.

H: What is the sail itself made of?
G: Usually a plastic film thinner than a human hair, coated with aluminium on the side that faces the sun.
G: Folding that much film into a small box and unfolding it in space without tearing it is the real engineering challenge.
H: Can you steer a spacecraft that is pushed by the sun?
G: You tilt the sail, a bit like a sailor trimming a sail against the wind.
G: By angling it, you can even spiral inward toward the sun, which surprises most people.

H: What missions have actually flown?
G: A Japanese probe unfurled a sail on its way to Venus and showed that the idea works in deep space.
G: Several small satellites have since tested sails in orbit around the Earth, some more successfully than others.
H: What would a sail let us do that rockets cannot?
G: It could hover in places where normal orbits do not work, such as a spot that gives early warning of solar storms.
G: In the distant future, sails pushed by powerful lasers might even carry tiny probes toward other stars.

H: Do you think that interstellar idea is realistic?
G: Not in my lifetime, but the basic physics holds, and most great projects started as something that sounded slightly silly.
`,
  ),
  topic(
    'tides',
    'how tides are predicted years in advance',
    'an oceanographer who maintains tide tables for a national agency',
    `
H: I can look up the exact time of high tide for a beach next year, so how is that possible?
G: Tides are driven mainly by the moon and the sun, and their movements are known very precisely.
G: If you know the orbits, you know the rhythm of the forces pulling on the oceans.
H: But the shape of the coast must change things as well.
G: Very much so, because a narrow bay can amplify the tide, while an open coast might barely notice it.
G: That is why we combine astronomy with long records from tide gauges at each harbour.

H: How do you turn those records into a prediction?
G: We break the measured tide into dozens of regular waves, each linked to some cycle of the moon or the sun.
G: Once we know the size and timing of each wave at a place, we can add them up for any future date.
H: Before computers, how did people do all that arithmetic?
G: Engineers built beautiful tide predicting machines with gears and pulleys, one wheel for each wave.
G: A pen traced the sum on a roll of paper, and some of those machines were used until the nineteen sixties.

H: Do the predictions ever go badly wrong?
G: Storms can push water far above the predicted level, and that combination causes most coastal flooding.
G: The tide table tells you the astronomical part, while the weather forecast has to add the rest.
H: And rising seas must be changing the baseline too.
G: Yes, in many harbours the same predicted tide now reaches higher on the quay than it did a generation ago.

H: What is your favourite tidal place in the world?
G: There is a bay in Canada where the tide rises more than fifteen metres, and you can watch fishing boats settle onto the mud.
G: Standing there as the water comes back in, you really feel the moon at work.
`,
  ),
  topic(
    'quakes',
    'how engineers keep buildings standing in earthquakes',
    'a structural engineer who designs hospitals in earthquake zones',
    `
H: When an earthquake strikes, what actually makes a building fall down?
G: The ground moves back and forth, and the building has to carry sideways forces that it was never meant to carry.
G: Columns and joints that are too stiff or too brittle crack, and then the floors above come down.
H: So is the answer simply to make buildings stronger?
G: Strength helps, but the real goal is to let the building bend without breaking.
G: Steel bars inside the concrete are arranged so that damage happens in places we choose, gradually rather than suddenly.

H: I have seen videos of buildings sitting on big rubber pads.
G: That is called base isolation, where the whole building sits on bearings that let the ground move underneath it.
G: The building itself then moves slowly and gently, a bit like a boat riding over a swell.
H: Why is that especially important for hospitals?
G: A hospital has to keep working right after an earthquake, exactly when it is needed most.
G: Isolation protects not just the structure but also the equipment, the pipes and the patients inside.

H: What about older buildings that were built before modern codes?
G: Retrofitting them is often the most urgent work, because those buildings cause most of the deaths in big earthquakes.
G: Adding steel frames, wrapping columns, or tying walls to floors can make a huge difference for a modest cost.
H: Why is it so hard to get owners to do it?
G: The cost arrives today and the benefit may arrive in fifty years, which is a difficult sell for anyone.

H: Is there a place that gets this right?
G: Some cities require owners of the most dangerous building types to retrofit within a fixed number of years.
G: Combined with public lists of which buildings are finished, that has moved faster than decades of voluntary programmes.
`,
  ),
  topic(
    'elevators',
    'how the elevator changed the shape of cities',
    'an architectural historian who writes about vertical cities',
    `
H: It is easy to forget the elevator, but you argue that it shaped cities as much as the car did.
G: Before safe elevators, buildings rarely went above five or six floors, because nobody wanted to climb further.
G: The top floors were the cheapest, often rented to servants or poor artists.
H: So the elevator flipped that completely.
G: Within a few decades, the top floor became the most desirable place in the building, with the best views and the cleanest air.
G: The penthouse is really an invention of the elevator age.

H: What made elevators safe enough to trust in the first place?
G: The key idea was a safety brake that grabs the rails if the cable breaks.
G: At a famous exhibition, an inventor rode a platform high up and had the rope cut in front of the crowd.
H: That must have been quite a show.
G: It was pure showmanship, and it worked, because orders followed once people had seen it with their own eyes.

H: How do very tall towers deal with the sheer distance?
G: Long cables become so heavy that they limit how high one elevator can travel in a single run.
G: Tall towers use sky lobbies, where you change from an express car to a local one, much like changing trains.
H: And newer materials are changing that limit?
G: Cables made from carbon fibre are far lighter than steel, which allows a single run of around one kilometre.

H: What is the most interesting recent idea in elevator design?
G: Some systems use magnetic motors instead of cables and can move cars sideways as well as up and down.
G: That could let buildings be connected in new shapes, although it has mostly been tested in a single tower.
H: A sideways elevator sounds like something from a children's book.
G: Many good ideas in architecture do, and that is part of what makes the field fun.
`,
  ),
];
