import { StateError } from '../errors/StateError.js';
import type { PersistedChange, PersistedSnapshot, PersistedState, StateStorage } from './StateStorage.js';

/**
 * Write-behind persistence of one store: changes are appended in batches, one storage call at a time, in order;
 * a snapshot replaces the changes it contains. A failed write keeps its data and is retried on the next change or
 * `flush()`, which rejects with `STATE_STORAGE_FAILED` while the storage keeps failing.
 * @internal
 */
export class Persister {
	readonly #storage: StateStorage;
	readonly #key: string;
	readonly #store: string;
	readonly #onError: (error: StateError) => void;
	#changes: PersistedChange[] = [];
	#snapshot: PersistedSnapshot | undefined;
	#running: Promise<void> | undefined;
	#failure: StateError | undefined;

	public constructor(storage: StateStorage, key: string, store: string, onError: (error: StateError) => void) {
		this.#storage = storage;
		this.#key = key;
		this.#store = store;
		this.#onError = onError;
	}

	public async load(): Promise<PersistedState> {
		try {
			const loaded = await this.#storage.load(this.#key);
			const after = loaded.snapshot?.version ?? -1;
			return {
				snapshot: loaded.snapshot,
				changes: loaded.changes
					.filter((change) => change.version > after)
					.sort((a, b) => a.version - b.version),
			};
		} catch (error) {
			throw error instanceof StateError
				? error
				: StateError.of('STATE_STORAGE_FAILED', [this.#store, 'load'], { cause: error });
		}
	}

	public change(change: PersistedChange): void {
		this.#changes.push(change);
		this.#kick();
	}

	public snapshot(snapshot: PersistedSnapshot): void {
		this.#snapshot = snapshot;
		this.#changes = this.#changes.filter((change) => change.version > snapshot.version);
		this.#kick();
	}

	/** Resolves when everything recorded so far is stored. */
	public async flush(): Promise<void> {
		await this.#settle();
		if (this.#failed() !== undefined) {
			// One more attempt: the storage may be back.
			this.#failure = undefined;
			await this.#settle();
			const failure = this.#failed();
			if (failure !== undefined) throw failure;
		}
	}

	async #settle(): Promise<void> {
		this.#kick();
		for (let running = this.#running; running !== undefined; running = this.#running) await running;
	}

	#failed(): StateError | undefined {
		return this.#failure;
	}

	#kick(): void {
		if (this.#running !== undefined || (this.#changes.length === 0 && this.#snapshot === undefined)) return;
		this.#running = this.#run().finally(() => {
			this.#running = undefined;
		});
	}

	async #run(): Promise<void> {
		while (this.#changes.length > 0 || this.#snapshot !== undefined) {
			const snapshot = this.#snapshot;
			const batch = this.#changes.slice(0, 256);
			try {
				if (snapshot !== undefined) {
					await this.#storage.saveSnapshot(this.#key, snapshot);
					if (this.#snapshot === snapshot) this.#snapshot = undefined;
					continue;
				}
				await this.#storage.append(this.#key, batch);
				const written = new Set(batch);
				this.#changes = this.#changes.filter((change) => !written.has(change));
				this.#failure = undefined;
			} catch (error) {
				this.#failure =
					error instanceof StateError
						? error
						: StateError.of(
								'STATE_STORAGE_FAILED',
								[this.#store, snapshot === undefined ? 'append changes' : 'save a snapshot'],
								{ cause: error },
							);
				this.#onError(this.#failure);
				return;
			}
		}
	}
}
