// @ts-check
/**
 * OvenJS's own lint rules: only what no existing rule does.
 *
 * - `prefer-brand-types`: a public function parameter or property named like an entity ID (`userId`,
 *   `guildId`, `channelId`, ...) must use that entity's brand (`UserId`, ...) instead of plain `string` or
 *   `Snowflake`, so IDs of different kinds cannot be mixed up.
 */
import { ESLintUtils } from '@typescript-eslint/utils';

const createRule = ESLintUtils.RuleCreator(
	(name) => `https://github.com/ovenjs/ovenjs/blob/main/tools/eslint-plugin/README.md#${name}`,
);

/** Name stem (lowercase) → brand type. */
const BRANDS = {
	user: 'UserId',
	owner: 'UserId',
	author: 'UserId',
	member: 'UserId',
	guild: 'GuildId',
	channel: 'ChannelId',
	parent: 'ChannelId',
	thread: 'ThreadId',
	message: 'MessageId',
	role: 'RoleId',
	emoji: 'EmojiId',
	sticker: 'StickerId',
	application: 'ApplicationId',
	webhook: 'WebhookId',
	interaction: 'InteractionId',
	integration: 'IntegrationId',
	attachment: 'AttachmentId',
	sku: 'SkuId',
	entitlement: 'EntitlementId',
	command: 'CommandId',
};

// camelCase only: snake_case names (`guild_id`) are Discord's wire shapes, typed by discord-api-types.
const ID_NAME = /(?:^|[a-z])([A-Z]?[a-z]+)Id$/;
const ID_LIST_NAME = /(?:^|[a-z])([A-Z]?[a-z]+)Ids$/;

/** @param {string} name */
function brandFor(name) {
	const single = ID_NAME.exec(name);
	const list = single === null ? ID_LIST_NAME.exec(name) : null;
	const stem = (single ?? list)?.[1]?.toLowerCase();
	if (stem === undefined || !Object.hasOwn(BRANDS, stem)) return undefined;
	return /** @type {string} */ (BRANDS[/** @type {keyof typeof BRANDS} */ (stem)]);
}

/**
 * Whether a type annotation is plain `string` or `Snowflake` (possibly in an array).
 * @param {import('@typescript-eslint/utils').TSESTree.TypeNode} node
 * @returns {boolean}
 */
function isPlainIdType(node) {
	if (node.type === 'TSStringKeyword') return true;
	if (node.type === 'TSTypeReference' && node.typeName.type === 'Identifier' && node.typeName.name === 'Snowflake')
		return true;
	if (node.type === 'TSArrayType') return isPlainIdType(node.elementType);
	if (node.type === 'TSTypeOperator' && node.typeAnnotation !== undefined) return isPlainIdType(node.typeAnnotation);
	if (node.type === 'TSUnionType') return node.types.some((t) => isPlainIdType(t));
	return false;
}

/**
 * Whether the node is part of the public surface: an exported declaration, a public class member, or a member
 * of an exported interface / type literal.
 * @param {import('@typescript-eslint/utils').TSESTree.Node} node
 */
function isPublic(node) {
	for (
		let current = /** @type {import('@typescript-eslint/utils').TSESTree.Node | undefined} */ (node);
		current !== undefined;
		current = current.parent
	) {
		if (current.type === 'ExportNamedDeclaration' || current.type === 'ExportDefaultDeclaration') return true;
		if (
			(current.type === 'PropertyDefinition' ||
				current.type === 'MethodDefinition' ||
				current.type === 'TSParameterProperty') &&
			current.accessibility !== undefined &&
			current.accessibility !== 'public'
		)
			return false;
		// `#name` members are private by the language itself.
		if (
			(current.type === 'PropertyDefinition' || current.type === 'MethodDefinition') &&
			current.key.type === 'PrivateIdentifier'
		)
			return false;
		if (current.type === 'ClassDeclaration' || current.type === 'ClassExpression') {
			const p = current.parent;
			return p !== undefined && (p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration');
		}
		if (current.type === 'Program') return false;
	}
	return false;
}

export const preferBrandTypes = createRule({
	name: 'prefer-brand-types',
	meta: {
		type: 'problem',
		docs: {
			description:
				"Public IDs named after a Discord entity must use that entity's brand type instead of string or Snowflake.",
		},
		messages: {
			useBrand:
				'`{{name}}` is typed as {{actual}}: use the brand `{{brand}}` from @ovenjs/types so IDs of different kinds cannot be mixed up.',
		},
		schema: [],
	},
	defaultOptions: [],
	create(context) {
		const source = context.sourceCode;
		/**
		 * @param {string} name
		 * @param {import('@typescript-eslint/utils').TSESTree.TSTypeAnnotation | undefined} annotation
		 * @param {import('@typescript-eslint/utils').TSESTree.Node} node
		 */
		function check(name, annotation, node) {
			if (annotation === undefined) return;
			const brand = brandFor(name);
			if (brand === undefined || !isPlainIdType(annotation.typeAnnotation)) return;
			if (!isPublic(node)) return;
			context.report({
				node,
				messageId: 'useBrand',
				data: { name, brand, actual: source.getText(annotation.typeAnnotation) },
			});
		}
		return {
			/** @param {import('@typescript-eslint/utils').TSESTree.Identifier} node */
			'FunctionDeclaration > Identifier.params, TSDeclareFunction > Identifier.params, TSMethodSignature > Identifier.params, TSFunctionType > Identifier.params, FunctionExpression > Identifier.params, ArrowFunctionExpression > Identifier.params'(
				node,
			) {
				check(node.name, node.typeAnnotation, node);
			},
			/** @param {import('@typescript-eslint/utils').TSESTree.TSParameterProperty} node */
			TSParameterProperty(node) {
				if (node.parameter.type === 'Identifier')
					check(node.parameter.name, node.parameter.typeAnnotation, node);
			},
			/** @param {import('@typescript-eslint/utils').TSESTree.TSPropertySignature} node */
			TSPropertySignature(node) {
				if (node.key.type === 'Identifier') check(node.key.name, node.typeAnnotation, node);
			},
			/** @param {import('@typescript-eslint/utils').TSESTree.PropertyDefinition} node */
			PropertyDefinition(node) {
				if (node.key.type === 'Identifier') check(node.key.name, node.typeAnnotation, node);
			},
		};
	},
});

const plugin = {
	meta: { name: '@ovenjs/eslint-plugin', version: '0.0.0' },
	rules: { 'prefer-brand-types': preferBrandTypes },
};

export default plugin;
