import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Admission } from '../../src/http/admission';

/** A response as admission sees it: something that closes once. */
const response = () => new EventEmitter() as unknown as ServerResponse;

describe('admission control of the GraphQL route', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('admits waiting requests in arrival order as running ones close', () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 2, maxWaitMs: 1000 });
    const order: string[] = [];
    const [first, second, third] = [response(), response(), response()];
    admission.enter(
      first,
      () => order.push('first'),
      () => order.push('first refused'),
    );
    admission.enter(
      second,
      () => order.push('second'),
      () => order.push('second refused'),
    );
    admission.enter(
      third,
      () => order.push('third'),
      () => order.push('third refused'),
    );
    expect(order).toEqual(['first']);
    expect(admission.usage).toEqual({ running: 1, waiting: 2 });
    first.emit('close');
    expect(order).toEqual(['first', 'second']);
    second.emit('close');
    third.emit('close');
    expect(order).toEqual(['first', 'second', 'third']);
    expect(admission.usage).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once beyond the queue, and a waiting request once it has waited maxWaitMs', () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 1000 });
    const outcomes: string[] = [];
    admission.enter(
      response(),
      () => outcomes.push('running'),
      (outcome) => outcomes.push(outcome),
    );
    admission.enter(
      response(),
      () => outcomes.push('admitted late'),
      (outcome) => outcomes.push(outcome),
    );
    admission.enter(
      response(),
      () => outcomes.push('admitted'),
      (outcome) => outcomes.push(outcome),
    );
    expect(outcomes).toEqual(['running', 'queue-full']);
    jest.advanceTimersByTime(999);
    expect(outcomes).toEqual(['running', 'queue-full']);
    jest.advanceTimersByTime(1);
    expect(outcomes).toEqual(['running', 'queue-full', 'queue-timeout']);
    expect(admission.usage).toEqual({ running: 1, waiting: 0 });
  });

  it('gives a place up when its client leaves while waiting, and keeps the order of the rest', () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 2, maxWaitMs: 1000 });
    const order: string[] = [];
    const [running, leaving, staying] = [response(), response(), response()];
    admission.enter(
      running,
      () => order.push('running'),
      () => undefined,
    );
    admission.enter(
      leaving,
      () => order.push('leaving'),
      () => undefined,
    );
    admission.enter(
      staying,
      () => order.push('staying'),
      () => undefined,
    );
    leaving.emit('close');
    expect(admission.usage).toEqual({ running: 1, waiting: 1 });
    running.emit('close');
    expect(order).toEqual(['running', 'staying']);
    jest.advanceTimersByTime(5000); // no timer of a request admitted or gone fires later
    expect(order).toEqual(['running', 'staying']);
  });

  it('neither runs nor counts a request whose client left before it asked for a place', () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 1000 });
    const gone = Object.assign(response(), { closed: true });
    const outcomes: string[] = [];
    admission.enter(
      gone,
      () => outcomes.push('ran'),
      (outcome) => outcomes.push(outcome),
    );
    expect(outcomes).toEqual([]);
    expect(admission.usage).toEqual({ running: 0, waiting: 0 });
  });

  it('gives a place back when its work is done, before a client that does not read its response closes it', () => {
    const admission = new Admission({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 1000 });
    const order: string[] = [];
    const slowReader = response();
    let release: () => void = () => undefined;
    admission.enter(
      slowReader,
      (done) => ((release = done), order.push('slow reader')),
      () => undefined,
    );
    admission.enter(
      response(),
      () => order.push('next'),
      () => undefined,
    );
    expect(order).toEqual(['slow reader']);
    release();
    expect(order).toEqual(['slow reader', 'next']);
    slowReader.emit('close'); // closing later gives nothing back twice
    expect(admission.usage).toEqual({ running: 1, waiting: 0 });
  });
});
