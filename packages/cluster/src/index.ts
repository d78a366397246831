export { ClusterManager, DefaultClusterManagerOptions } from './lib/ClusterManager.js';
export type {
	ClusterManagerOptions,
	ClusterManagerEvents,
	ClusterProcessInfo,
	ClusterProgress,
	ClusterGatewayInformation,
} from './lib/ClusterManager.js';
export { ClusterProcess } from './lib/ClusterProcess.js';
export type { ClusterRequestHandler } from './lib/ClusterProcess.js';
export { ClusterError, ClusterErrorMessages } from './lib/errors/ClusterError.js';
export type {
	ClusterErrorCode,
	ClusterErrorDetails,
	ClusterErrorOptions,
	NotInClusterProblem,
	ProcessDownReason,
	StoreFailure,
} from './lib/errors/ClusterError.js';
export { ClusterEnv } from './lib/ipc/protocol.js';
export type { BroadcastResult, ResultSchema } from './lib/ipc/protocol.js';
export { resolveShardCount, planProcesses, checkSessionBudget } from './lib/utils/planning.js';
export type { SessionBudget } from './lib/utils/planning.js';
export { parseClusterArgs, runCli } from './lib/cli.js';
export type { ClusterCliOptions } from './lib/cli.js';
