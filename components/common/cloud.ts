/**
 * The clouds a component can be built on, and the one place where a component
 * picks its implementation for a cloud.
 *
 * Implementations are loaded lazily with `require` so that an AWS program never
 * loads `@pulumi/azure-native` and an Azure program never loads `@pulumi/aws`:
 * both SDKs are large and loading them dominates program start-up.
 */
import { Problems } from "./validation";

/** A cloud a component can be built on. */
export const Cloud = {
    /** Amazon Web Services, through `@pulumi/aws`. */
    Aws: "aws",
    /** Microsoft Azure, through `@pulumi/azure-native`. */
    Azure: "azure",
} as const;
export type Cloud = (typeof Cloud)[keyof typeof Cloud];

/** Every supported cloud, in a stable order. */
export const CLOUDS: readonly Cloud[] = [Cloud.Aws, Cloud.Azure];

/** Checks a cloud name, recording a problem that names `arg` when it is not a known cloud. */
export function checkCloud(problems: Problems, arg: string, value: unknown): value is Cloud {
    return problems.check(CLOUDS.includes(value as Cloud), arg, value, `is not a supported cloud: use one of ${CLOUDS.join(", ")}`);
}

/**
 * One loader per cloud for a component's implementation module. Each loader
 * calls `require` itself so that only the chosen cloud's module (and SDK) loads.
 */
export type ImplementationLoaders<T> = { readonly [C in Cloud]: () => T };

/** Loads the implementation of a component for `cloud`. */
export function implementationFor<T>(cloud: Cloud, loaders: ImplementationLoaders<T>): T {
    return loaders[cloud]();
}
