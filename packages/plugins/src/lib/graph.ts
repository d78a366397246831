import semver from 'semver';
import { PluginError } from './errors/PluginError.js';

/** What the resolver needs of a plugin. */
export interface GraphNode {
	readonly name: string;
	readonly version: string;
	readonly dependencies: Readonly<Record<string, string>>;
	readonly optionalDependencies: Readonly<Record<string, string>>;
	readonly peerDependencies: Readonly<Record<string, string>>;
}

/** The result of {@link resolveGraph}. */
export interface GraphResolution {
	/** The plugins that can load, dependencies first. */
	readonly order: readonly string[];
	/** Plugins that cannot load, with why (missing dependency, version conflict, cycle, or a failed dependency). */
	readonly failed: ReadonlyMap<string, PluginError>;
	/** Optional dependencies skipped (absent, or present in a version outside the range). */
	readonly warnings: readonly string[];
	/** Each plugin's edges that count (required, peer, and optional ones that are present and in range). */
	readonly edges: ReadonlyMap<string, readonly string[]>;
}

/** Parsed ranges and their answers, per resolution: a graph repeats the same few ranges and versions. */
function satisfier(): (version: string, range: string) => boolean {
	const ranges = new Map<string, semver.Range | null>();
	const answers = new Map<string, boolean>();
	return (version, range) => {
		const key = `${version} ${range}`;
		let answer = answers.get(key);
		if (answer === undefined) {
			let parsed = ranges.get(range);
			if (parsed === undefined) {
				try {
					parsed = new semver.Range(range, { includePrerelease: true });
				} catch {
					parsed = null;
				}
				ranges.set(range, parsed);
			}
			answer = parsed?.test(version) ?? false;
			answers.set(key, answer);
		}
		return answer;
	};
}

/**
 * Orders plugins so each loads after what it depends on. `available` are plugins already loaded (they satisfy
 * dependencies but are not ordered again).
 *
 * - A required or peer dependency that is absent: `PLUGIN_DEPENDENCY_MISSING`; present in a version outside its
 *   range: `PLUGIN_VERSION_CONFLICT`. Plugins depending on a failed plugin fail too (`PLUGIN_DEPENDENCY_MISSING`,
 *   naming the cause).
 * - An optional dependency that is absent or out of range is skipped with a warning.
 * - A cycle fails every plugin on it with `PLUGIN_DEPENDENCY_CYCLE` and the cycle's path.
 */
export function resolveGraph(nodes: readonly GraphNode[], available: readonly GraphNode[] = []): GraphResolution {
	const byName = new Map<string, GraphNode>();
	for (const node of available) byName.set(node.name, node);
	for (const node of nodes) byName.set(node.name, node);
	const pending = new Set(nodes.map((n) => n.name));
	const failed = new Map<string, PluginError>();
	const warnings: string[] = [];
	const edges = new Map<string, string[]>();
	const satisfies = satisfier();

	for (const node of nodes) {
		const out: string[] = [];
		const required = (deps: Readonly<Record<string, string>>, kind: string): void => {
			for (const [dep, range] of Object.entries(deps)) {
				const target = byName.get(dep);
				if (target === undefined) {
					if (!failed.has(node.name))
						failed.set(
							node.name,
							PluginError.of('PLUGIN_DEPENDENCY_MISSING', node.name, [
								dep,
								{ kind: 'absent', relation: kind, range },
							]),
						);
				} else if (!satisfies(target.version, range)) {
					if (!failed.has(node.name))
						failed.set(
							node.name,
							PluginError.of('PLUGIN_VERSION_CONFLICT', node.name, [
								kind,
								dep,
								range,
								target.version,
								node.name,
							]),
						);
				} else out.push(dep);
			}
		};
		required(node.dependencies, 'dependency');
		required(node.peerDependencies, 'peer dependency');
		for (const [dep, range] of Object.entries(node.optionalDependencies)) {
			const target = byName.get(dep);
			if (target === undefined)
				warnings.push(`Plugin "${node.name}": optional dependency "${dep}" ${range} is not loaded; skipped.`);
			else if (!satisfies(target.version, range))
				warnings.push(
					`Plugin "${node.name}": optional dependency "${dep}" ${range} is loaded as ${target.version}, outside the range; skipped.`,
				);
			else out.push(dep);
		}
		edges.set(node.name, out);
	}

	// Depth-first post-order; a back edge is a cycle, reported with its path.
	const order: string[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const stack: string[] = [];
	const visit = (name: string): boolean => {
		const seen = state.get(name);
		if (seen === 'done') return !failed.has(name);
		if (seen === 'visiting') {
			const cycle = [...stack.slice(stack.indexOf(name)), name];
			for (const member of cycle)
				if (!failed.has(member)) failed.set(member, PluginError.of('PLUGIN_DEPENDENCY_CYCLE', member, [cycle]));
			return false;
		}
		if (!pending.has(name)) return true; // already loaded
		state.set(name, 'visiting');
		stack.push(name);
		let ok = !failed.has(name);
		for (const dep of edges.get(name) ?? []) {
			if (!visit(dep) && ok) {
				ok = false;
				if (!failed.has(name)) {
					const cause = failed.get(dep);
					failed.set(
						name,
						PluginError.of(
							'PLUGIN_DEPENDENCY_MISSING',
							name,
							[dep, { kind: 'cannot-load', code: cause?.code }],
							cause === undefined ? {} : { cause },
						),
					);
				}
			}
		}
		stack.pop();
		state.set(name, 'done');
		if (ok && !failed.has(name)) order.push(name);
		return ok && !failed.has(name);
	};
	for (const node of nodes) visit(node.name);
	return { order, failed, warnings, edges };
}

/** Every plugin that depends on `name` (directly or through others), in an order that can reload them (dependencies first). */
export function dependentsOf(
	name: string,
	edges: ReadonlyMap<string, readonly string[]>,
	order: readonly string[],
): string[] {
	const affected = new Set<string>([name]);
	let grew = true;
	while (grew) {
		grew = false;
		for (const [node, deps] of edges) {
			if (!affected.has(node) && deps.some((d) => affected.has(d))) {
				affected.add(node);
				grew = true;
			}
		}
	}
	affected.delete(name);
	return order.filter((n) => affected.has(n));
}
