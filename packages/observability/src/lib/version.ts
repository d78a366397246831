/** The package version (in the tracer's instrumentation scope). */
export const VERSION = '0.1.0';
