export { JetStreamPublisher, DefaultJetStreamPublisherOptions } from './lib/jetstream/JetStreamPublisher.js';
export type {
	JetStreamPublisherOptions,
	JetStreamPublisherEvents,
	JetStreamPublisherStats,
	PublisherSessionStore,
} from './lib/jetstream/JetStreamPublisher.js';
export { JetStreamWorker, WorkerDispatch, DefaultJetStreamWorkerOptions } from './lib/jetstream/JetStreamWorker.js';
export type {
	JetStreamWorkerOptions,
	JetStreamWorkerEvents,
	JetStreamWorkerStats,
	WorkerClient,
	WorkerHandler,
} from './lib/jetstream/JetStreamWorker.js';
export {
	ensureDispatchStream,
	dispatchSubject,
	DispatchHeaders,
	DefaultJetStreamNames,
} from './lib/jetstream/subjects.js';
export type { DispatchStreamOptions } from './lib/jetstream/subjects.js';
export type { MetricSink } from './lib/jetstream/metrics.js';
