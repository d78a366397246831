export { scaffold, tarballSource, ovenjsVersion, displayDirectory } from './lib/scaffold.js';
export type { ScaffoldOptions, ScaffoldResult } from './lib/scaffold.js';
export { projectFiles, ThirdPartyVersions } from './lib/templates.js';
export type { ProjectFile, OvenjsSource } from './lib/templates.js';
export {
	parseCliArgs,
	parseFeatures,
	validateName,
	nameFromDirectory,
	Features,
	FeatureDescriptions,
	DefaultProjectOptions,
} from './lib/options.js';
export type { CliArgs, Feature, Language, ModuleFormat, ProjectOptions } from './lib/options.js';
export { run } from './lib/run.js';
export type { RunIo } from './lib/run.js';
export { CreateError } from './lib/errors/CreateError.js';
export type { CreateErrorCode } from './lib/errors/CreateError.js';
