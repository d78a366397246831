export { REST, DefaultRestOptions } from './lib/REST.js';
export type {
	RestOptions,
	RequestOptions,
	RawFile,
	QueryInput,
	RestRequest,
	RestResponse,
	RestMiddleware,
	RestEvents,
	RequestEvent,
	ResponseEvent,
	RateLimitedEvent,
	BucketDiscoveredEvent,
	InvalidRequestWarningEvent,
} from './lib/RESTOptions.js';
export { Paginator } from './lib/Paginator.js';
export type {
	PaginationRequester,
	PageOptions,
	MessagePageOptions,
	UserPageOptions,
	AuditLogPageOptions,
	ArchivedThreadPageOptions,
	GuildPageOptions,
} from './lib/Paginator.js';
export { MemoryStore } from './lib/stores/MemoryStore.js';
export type { MemoryStoreOptions } from './lib/stores/MemoryStore.js';
export type {
	RateLimitStore,
	RateLimitTicket,
	RateLimitPolicy,
	RateLimitReason,
	RateLimitResponse,
	AcquireResult,
	CompleteResult,
} from './lib/interfaces/RateLimitStore.js';
export { RestError } from './lib/errors/RestError.js';
export type { RestErrorCode } from './lib/errors/RestError.js';
export { DiscordAPIError, ErrorBodyLimits, flattenFieldErrors } from './lib/errors/DiscordAPIError.js';
export type { RequestContext, DiscordFieldError } from './lib/errors/DiscordAPIError.js';
export { HTTPError } from './lib/errors/HTTPError.js';
export { RateLimitError } from './lib/errors/RateLimitError.js';
export type { RateLimitErrorData } from './lib/errors/RateLimitError.js';
export { RequestTimeoutError } from './lib/errors/RequestTimeoutError.js';
export { MaybeAppliedError } from './lib/errors/MaybeAppliedError.js';
export type { MaybeAppliedErrorData, MaybeAppliedReason } from './lib/errors/MaybeAppliedError.js';
export { CircuitBreaker } from './lib/utils/CircuitBreaker.js';
export { computeRoute } from './lib/utils/routes.js';
export type { RouteInfo } from './lib/utils/routes.js';
export { DefaultUserAgent, RequestPriority, VERSION, AUDIT_LOG_REASON_MAX } from './lib/utils/constants.js';
export type { RequestMethod } from './lib/utils/constants.js';
