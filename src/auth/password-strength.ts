import { join } from 'node:path';
import { Piscina } from 'piscina';
import { serviceUnavailable } from '../errors';
import type { PasswordScoreTask } from './password-strength.worker';

/**
 * zxcvbn runs in one worker thread, started on the first check and stopped after a quiet spell.
 * On the event loop, checking a crafted 128-character password held every other request for
 * 50–125 ms, and its dictionaries added 6.5 MB to the heap every full collection marks.
 */
const IDLE_MS = 15_000;
/** Checks waiting for the worker; more fail as SERVICE_UNAVAILABLE (a burst of registrations, not a queue without end). */
const MAX_QUEUED = 64;
/** A check waiting or running longer fails as SERVICE_UNAVAILABLE; the worker running it is replaced. */
const TIMEOUT_MS = 5_000;

// Under ts-jest this module runs from src/; the worker then runs from the build the test setup makes.
const WORKER = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', 'dist', 'src', 'auth', 'password-strength.worker.js')
  : join(__dirname, 'password-strength.worker.js');

let pool: Piscina<PasswordScoreTask, number> | undefined;

/** zxcvbn's 0–4 guessability score; 3 and up is "safely unguessable" against online attacks. */
export async function passwordScore(password: string, userInputs: string[] = []): Promise<number> {
  pool ??= new Piscina({ filename: WORKER, minThreads: 0, maxThreads: 1, idleTimeout: IDLE_MS, maxQueue: MAX_QUEUED });
  try {
    return await pool.run({ password, userInputs }, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    // Queue full, timed out or the worker failed: the error names neither the password nor the inputs.
    throw serviceUnavailable();
  }
}
