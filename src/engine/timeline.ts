// An event log as a readable timeline, one line an event.

import type { WorkflowEvent } from '../contract/types.js';

export function formatTimeline(events: readonly WorkflowEvent[]): string {
  const width = Math.max(...events.map((e) => e.event_type.length), 18);
  return events
    .map((event) => {
      const p = event.payload;
      const node = typeof p.node_id === 'string' ? p.node_id : '';
      let detail = '';
      if (event.event_type === 'node_completed') detail = `→ ${short(JSON.stringify(p.output ?? null))}`;
      else if (event.event_type === 'node_failed' || event.event_type === 'workflow_failed')
        detail = `✖ ${String(p.error ?? '')}`;
      else if (event.event_type === 'workflow_resumed')
        detail = `reusing ${(p.completed as string[] | undefined)?.join(', ') || 'nothing'}`;
      const sequence = `#${String(event.sequence).padEnd(3)}`;
      const time = event.timestamp.slice(11, 23);
      return `${sequence} ${time}  ${event.event_type.padEnd(width)}  ${node.padEnd(10)} ${detail}`.trimEnd();
    })
    .join('\n');
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
