import { CULTURE_TOPICS } from './topics.culture.ts';
import { EVERYDAY_TOPICS } from './topics.everyday.ts';
import { HISTORY_TOPICS } from './topics.history.ts';
import { NATURE_TOPICS } from './topics.nature.ts';
import { SCIENCE_TOPICS } from './topics.science.ts';
import type { Topic } from './topic.ts';

export type { Topic, TopicLine } from './topic.ts';

export const TOPICS: readonly Topic[] = [...NATURE_TOPICS, ...SCIENCE_TOPICS, ...CULTURE_TOPICS, ...EVERYDAY_TOPICS, ...HISTORY_TOPICS];
