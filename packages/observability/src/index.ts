export { instrument, Instrumentation, DefaultInstrumentOptions } from './lib/Instrumentation.js';
export type {
	InstrumentOptions,
	InstrumentationSnapshot,
	PluginStatus,
	PluginHostLike,
	PluginFailureLike,
} from './lib/Instrumentation.js';
export { DefaultMetricBuckets, SHARD_STATUSES } from './lib/metrics/MetricSet.js';
export type { MetricBuckets } from './lib/metrics/MetricSet.js';
export { mergeMetrics } from './lib/metrics/merge.js';
export type { MetricsJSON } from './lib/metrics/merge.js';
export { TRACER_NAME } from './lib/tracing/Tracing.js';
export {
	attachLogger,
	jsonLogger,
	pinoLogger,
	DefaultJsonLoggerOptions,
	DefaultAttachLoggerOptions,
} from './lib/logging/loggers.js';
export type {
	LogLevel,
	LogRecord,
	StructuredLogger,
	LineSink,
	JsonLoggerOptions,
	PinoLike,
	AttachLoggerOptions,
} from './lib/logging/loggers.js';
export { startDashboard, DefaultDashboardOptions } from './lib/dashboard/Dashboard.js';
export type { Dashboard, DashboardOptions } from './lib/dashboard/Dashboard.js';
export type { DashboardSample } from './lib/dashboard/Sampler.js';
export { ObservabilityError, ObservabilityErrorMessages } from './lib/errors/ObservabilityError.js';
export type { ObservabilityErrorCode, ObservabilityErrorDetails } from './lib/errors/ObservabilityError.js';
export { VERSION } from './lib/version.js';
