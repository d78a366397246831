import { describe, expect, it } from 'vitest';
import { dependentsOf, resolveGraph, type GraphNode } from '@ovenjs/plugins';

const node = (
	name: string,
	version = '1.0.0',
	deps: Partial<Pick<GraphNode, 'dependencies' | 'optionalDependencies' | 'peerDependencies'>> = {},
): GraphNode => ({
	name,
	version,
	dependencies: deps.dependencies ?? {},
	optionalDependencies: deps.optionalDependencies ?? {},
	peerDependencies: deps.peerDependencies ?? {},
});

describe('resolveGraph', () => {
	it('orders dependencies first, whatever the input order', () => {
		const { order, failed } = resolveGraph([
			node('ovenjs-plugin-c', '1.0.0', { dependencies: { 'ovenjs-plugin-b': '^1.0.0' } }),
			node('ovenjs-plugin-b', '1.2.0', { peerDependencies: { 'ovenjs-plugin-a': '>=1' } }),
			node('ovenjs-plugin-a'),
		]);
		expect(order).toEqual(['ovenjs-plugin-a', 'ovenjs-plugin-b', 'ovenjs-plugin-c']);
		expect(failed.size).toBe(0);
	});

	it('rejects a cycle with its path, and what depends on it', () => {
		const { order, failed } = resolveGraph([
			node('ovenjs-plugin-x', '1.0.0', { dependencies: { 'ovenjs-plugin-y': '*' } }),
			node('ovenjs-plugin-y', '1.0.0', { dependencies: { 'ovenjs-plugin-z': '*' } }),
			node('ovenjs-plugin-z', '1.0.0', { dependencies: { 'ovenjs-plugin-x': '*' } }),
			node('ovenjs-plugin-user', '1.0.0', { dependencies: { 'ovenjs-plugin-x': '*' } }),
			node('ovenjs-plugin-free'),
		]);
		expect(order).toEqual(['ovenjs-plugin-free']);
		const cycle = failed.get('ovenjs-plugin-x');
		expect(cycle).toMatchObject({
			code: 'PLUGIN_DEPENDENCY_CYCLE',
			cycle: ['ovenjs-plugin-x', 'ovenjs-plugin-y', 'ovenjs-plugin-z', 'ovenjs-plugin-x'],
		});
		expect(cycle?.message).toContain('ovenjs-plugin-x → ovenjs-plugin-y → ovenjs-plugin-z → ovenjs-plugin-x');
		expect(failed.get('ovenjs-plugin-z')?.code).toBe('PLUGIN_DEPENDENCY_CYCLE');
		expect(failed.get('ovenjs-plugin-user')?.code).toBe('PLUGIN_DEPENDENCY_MISSING');
	});

	it('reports missing dependencies and version conflicts; skips optional ones with a warning', () => {
		const { order, failed, warnings, edges } = resolveGraph(
			[
				node('ovenjs-plugin-needs-new', '1.0.0', { dependencies: { 'ovenjs-plugin-old': '^2.0.0' } }),
				node('ovenjs-plugin-orphan', '1.0.0', { peerDependencies: { 'ovenjs-plugin-ghost': '^1.0.0' } }),
				node('ovenjs-plugin-flexible', '1.0.0', {
					optionalDependencies: {
						'ovenjs-plugin-ghost': '^1.0.0',
						'ovenjs-plugin-old': '^3.0.0',
						'ovenjs-plugin-loaded': '^1.0.0',
					},
				}),
			],
			[node('ovenjs-plugin-old', '1.4.0'), node('ovenjs-plugin-loaded', '1.1.0')],
		);
		expect(order).toEqual(['ovenjs-plugin-flexible']);
		expect(failed.get('ovenjs-plugin-needs-new')).toMatchObject({ code: 'PLUGIN_VERSION_CONFLICT' });
		expect(failed.get('ovenjs-plugin-needs-new')?.message).toContain('^2.0.0, but 1.4.0 is loaded');
		expect(failed.get('ovenjs-plugin-orphan')).toMatchObject({ code: 'PLUGIN_DEPENDENCY_MISSING' });
		expect(warnings).toHaveLength(2);
		expect(warnings.join('\n')).toContain('optional dependency "ovenjs-plugin-ghost"');
		expect(edges.get('ovenjs-plugin-flexible')).toEqual(['ovenjs-plugin-loaded']);
	});

	it('handles a 1,000-plugin graph and a 1,000-deep chain', () => {
		const wide = Array.from({ length: 1_000 }, (_, i) =>
			node(`ovenjs-plugin-p${i}`, '1.0.0', {
				dependencies: i === 0 ? {} : { [`ovenjs-plugin-p${Math.floor(i / 2)}`]: '^1.0.0' },
			}),
		);
		expect(resolveGraph(wide.toReversed()).order).toHaveLength(1_000);
		const chain = Array.from({ length: 1_000 }, (_, i) =>
			node(`ovenjs-plugin-c${i}`, '1.0.0', { dependencies: i === 0 ? {} : { [`ovenjs-plugin-c${i - 1}`]: '*' } }),
		);
		const { order } = resolveGraph(chain.toReversed());
		expect(order[0]).toBe('ovenjs-plugin-c0');
		expect(order[999]).toBe('ovenjs-plugin-c999');
	});
});

describe('dependentsOf', () => {
	it('lists direct and indirect dependents in load order', () => {
		const edges = new Map<string, readonly string[]>([
			['a', []],
			['b', ['a']],
			['c', ['b']],
			['d', []],
		]);
		expect(dependentsOf('a', edges, ['a', 'b', 'd', 'c'])).toEqual(['b', 'c']);
		expect(dependentsOf('d', edges, ['a', 'b', 'd', 'c'])).toEqual([]);
	});
});
