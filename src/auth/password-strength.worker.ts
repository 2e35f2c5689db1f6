import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/**
 * Runs in a worker thread (see password-strength.ts): zxcvbn-ts with its common-language
 * dictionaries (about 49k leaked passwords and the diceware list) and keyboard graphs. It sees
 * through l33t spellings, appended years and symbols, which a plain list lookup misses
 * ("Passw0rd!!"). Built once per worker, when the worker starts.
 */
const estimator = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });

export interface PasswordScoreTask {
  password: string;
  userInputs: string[];
}

/** zxcvbn's 0–4 guessability score. */
export default function score(task: PasswordScoreTask): number {
  return estimator.check(task.password, task.userInputs).score;
}
