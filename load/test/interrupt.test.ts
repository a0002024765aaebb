import { describe, expect, it } from 'vitest';
import { stopOnCtrlC } from '../runner/interrupt.js';

// Both load CLIs stop on Ctrl-C through this one handler; process.emit calls it without a real signal.
describe('stopOnCtrlC', () => {
  it('the first Ctrl-C aborts the run and says so, the second quits at once (130), release removes the handler', () => {
    const written: string[] = [];
    const exits: number[] = [];
    const before = process.listenerCount('SIGINT');
    const interrupt = stopOnCtrlC((t) => written.push(t), (code) => exits.push(code));
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(interrupt.signal.aborted).toBe(false);

    process.emit('SIGINT', 'SIGINT');
    expect(interrupt.signal.aborted).toBe(true);
    expect(written.join('')).toContain('writing what was measured');
    expect(exits).toEqual([]);

    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);

    interrupt.release();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
