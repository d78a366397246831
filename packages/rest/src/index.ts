// The public surface of @ovenjs/rest, named on purpose. Plumbing other OvenJS packages need (route computation,
// the circuit breaker, error-body helpers) is in `@ovenjs/rest/internal`; the Redis store in `@ovenjs/rest/redis`.
export { REST } from './lib/REST.js';
export { DefaultRestOptions } from './lib/RESTOptions.js';
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
export { MemoryStore, DefaultMemoryStoreOptions } from './lib/stores/MemoryStore.js';
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
export { RestError, RestErrorMessages } from './lib/errors/RestError.js';
export type { RestErrorCode, RestErrorDetails } from './lib/errors/RestError.js';
export { DiscordAPIError } from './lib/errors/DiscordAPIError.js';
export type { RequestContext } from './lib/errors/DiscordAPIError.js';
export { ErrorBodyLimits } from './lib/errors/errorBody.js';
export type { DiscordFieldError } from './lib/errors/errorBody.js';
export { HTTPError } from './lib/errors/HTTPError.js';
export { RateLimitError } from './lib/errors/RateLimitError.js';
export type { RateLimitErrorData, RateLimitRejection } from './lib/errors/RateLimitError.js';
export { RequestTimeoutError } from './lib/errors/RequestTimeoutError.js';
export { MaybeAppliedError } from './lib/errors/MaybeAppliedError.js';
export type { MaybeAppliedErrorData, MaybeAppliedReason } from './lib/errors/MaybeAppliedError.js';
export { DefaultUserAgent, RequestPriority, VERSION, AUDIT_LOG_REASON_MAX } from './lib/utils/constants.js';
export type { RequestMethod } from './lib/utils/constants.js';
