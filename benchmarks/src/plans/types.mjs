// The shape every plan follows (documentation for editors; plans are plain objects).

/**
 * @typedef {object} RunResult
 * @property {'ok' | 'unavailable' | 'error'} status
 * @property {Record<string, number>} [metrics] figures by metric id (see lib/metrics.mjs)
 * @property {Record<string, string>} [unavailable] why a metric has no value for this subject
 * @property {Record<string, string>} [notes] remarks shown under the tables
 * @property {string} [reason] why the whole run is unavailable or failed
 */

/**
 * @typedef {object} Plan
 * @property {string} id
 * @property {string} title
 * @property {string} [description]
 * @property {string[]} subjects
 * @property {(quick: boolean) => number} runs
 * @property {(subject: string, context: { quick: boolean, run: number }) => Promise<RunResult>} runOnce
 */

export {};
