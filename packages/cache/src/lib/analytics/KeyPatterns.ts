/** A key split into its shape (numeric segments replaced by `#`) and the numeric segments. */
interface Shaped {
	readonly shape: string;
	readonly vars: readonly string[];
}

const NUMERIC = /^\d+$/;

function shapeOf(key: string): Shaped {
	const vars: string[] = [];
	const parts = key.split(':').map((part) => {
		if (!NUMERIC.test(part)) return part;
		vars.push(part);
		return '#';
	});
	return { shape: parts.join(':'), vars };
}

interface ShapeStats {
	count: number;
	/** Follower templates (`user:$1`, with `$i` = the i-th numeric segment of the leading key) → times seen. */
	readonly followers: Map<string, number>;
}

/**
 * Learns co-access between key *shapes*, so a pattern seen on some keys predicts keys never seen together:
 * after `member:12:34` was followed by `user:34` often enough, reading `member:56:78` predicts `user:78`.
 * Numeric segments (IDs) are the variables; a follower is learned only if all its IDs come from the leading key.
 */
export class KeyPatterns {
	readonly #shapes = new Map<string, ShapeStats>();
	readonly #maxShapes: number;
	readonly #maxFollowers: number;

	public constructor(maxShapes = 1_000, maxFollowers = 16) {
		this.#maxShapes = maxShapes;
		this.#maxFollowers = maxFollowers;
	}

	/** Counts one access of `key`. */
	public seen(key: string): void {
		const { shape } = shapeOf(key);
		let stats = this.#shapes.get(shape);
		if (stats === undefined) {
			if (this.#shapes.size >= this.#maxShapes) return;
			this.#shapes.set(shape, (stats = { count: 0, followers: new Map() }));
		}
		stats.count++;
	}

	/** Records that `next` was read shortly after `previous`. */
	public link(previous: string, next: string): void {
		const from = shapeOf(previous);
		const stats = this.#shapes.get(from.shape);
		if (stats === undefined || from.vars.length === 0) return;
		const to = shapeOf(next);
		if (to.vars.length === 0) return;
		const template: string[] = [];
		let v = 0;
		for (const part of next.split(':')) {
			if (!NUMERIC.test(part)) {
				template.push(part);
				continue;
			}
			const index = from.vars.indexOf(to.vars[v] ?? '');
			v++;
			if (index < 0) return;
			template.push(`$${index}`);
		}
		const key = template.join(':');
		const existing = stats.followers.get(key);
		if (existing !== undefined) stats.followers.set(key, existing + 1);
		else if (stats.followers.size < this.#maxFollowers) stats.followers.set(key, 1);
	}

	/**
	 * Keys predicted to follow `key`: followers of its shape seen at least `minCount` times and after at least
	 * `minConfidence` of that shape's reads.
	 */
	public predict(key: string, minConfidence = 0.5, minCount = 5): string[] {
		const { shape, vars } = shapeOf(key);
		const stats = this.#shapes.get(shape);
		if (stats === undefined || stats.count === 0) return [];
		const out: string[] = [];
		for (const [template, count] of stats.followers) {
			if (count < minCount || count / stats.count < minConfidence) continue;
			const predicted = template
				.split(':')
				.map((part) => (part.startsWith('$') ? (vars[Number(part.slice(1))] ?? part) : part))
				.join(':');
			if (predicted !== key) out.push(predicted);
		}
		return out;
	}
}
