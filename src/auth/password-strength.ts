import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/**
 * zxcvbn-ts with its common-language dictionaries (about 49k leaked passwords and the diceware
 * list) and keyboard graphs: it sees through l33t spellings, appended years and symbols, which a
 * plain list lookup misses ("Passw0rd!!"). Built once, on first use.
 */
let estimator: ZxcvbnFactory | undefined;

/** zxcvbn's 0–4 guessability score; 3 and up is "safely unguessable" against online attacks. */
export function passwordScore(password: string, userInputs: string[] = []): number {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  return estimator.check(password, userInputs).score;
}
