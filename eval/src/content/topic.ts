/**
 * A conversation between the host (H) and a guest (G) on one subject. Chunks are the places an
 * episode may cut to a break; each starts with a host turn so a block never opens mid-answer.
 */
export interface Topic {
  id: string;
  /** Completes "today we're talking about …". */
  subject: string;
  /** Completes "my guest is NAME, …". */
  guestRole: string;
  chunks: TopicLine[][];
}

export interface TopicLine {
  speaker: 'host' | 'guest';
  text: string;
}

/** Parses the dialogue text: one `H:`/`G:` sentence a line, a blank line between chunks. */
export function topic(id: string, subject: string, guestRole: string, dialogue: string): Topic {
  const chunks = dialogue
    .trim()
    .split(/\n\s*\n/)
    .map((chunk) =>
      chunk
        .trim()
        .split('\n')
        .map((line): TopicLine => {
          const m = /^\s*([HG]):\s*(.+?)\s*$/.exec(line);
          if (!m) throw new Error(`topic ${id}: bad line "${line}"`);
          return { speaker: m[1] === 'H' ? 'host' : 'guest', text: m[2]! };
        }),
    );
  for (const c of chunks) if (c[0]?.speaker !== 'host') throw new Error(`topic ${id}: a chunk must open with the host`);
  return { id, subject, guestRole, chunks };
}
