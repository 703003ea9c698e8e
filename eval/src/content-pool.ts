import { shuffled, type Rng } from '@podpreview/synth';
import { GUESTS } from './content/shows.ts';
import { TOPICS, type Topic, type TopicLine } from './content/topics.ts';

/**
 * Topics are consumed in order, chunk by chunk, across the whole set: no sentence is spoken in
 * two episodes. An episode that stops mid-topic leaves the rest to the next episode, which then
 * continues that conversation.
 */
export class ContentPool {
  private queue: { topic: Topic; guest: string; chunks: TopicLine[][] }[] = [];

  constructor(private readonly rng: Rng) {
    this.refill();
  }

  /**
   * Every topic once more, in a new order with new guests: a draw larger than the 24-episode
   * set (about 100 episodes a path) runs through the topics several times, so its sentences
   * repeat across episodes, never within one cycle.
   */
  private refill(): void {
    const guests = shuffled(this.rng, GUESTS);
    this.queue = shuffled(this.rng, TOPICS).map((topic, i) => ({ topic, guest: guests[i % guests.length]!, chunks: [...topic.chunks] }));
  }

  private head(): { topic: Topic; guest: string; chunks: TopicLine[][] } {
    if (this.queue.length === 0) this.refill();
    return this.queue[0]!;
  }

  /** The topic (and its guest) the next chunk belongs to. */
  peek(): { topic: Topic; guest: string } {
    return this.head();
  }

  take(): TopicLine[] {
    const head = this.head();
    const chunk = head.chunks.shift();
    if (!chunk) throw new Error(`topic ${head.topic.id} has no chunks`);
    if (head.chunks.length === 0) this.queue.shift();
    return chunk;
  }
}
