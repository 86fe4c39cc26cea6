/**
 * The clouds a component can be built on, and the one place where a component
 * picks its implementation for a cloud.
 *
 * Implementations are loaded lazily with `require` so that an AWS program never
 * loads `@pulumi/azure-native` and an Azure program never loads `@pulumi/aws`:
 * both SDKs are large and loading them dominates program start-up.
 */
import type * as pulumi from "@pulumi/pulumi";
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

/**
 * The SDK each cloud's implementations load, and the versions this package is built against.
 * Both are optional peer dependencies (package.json `peerDependenciesMeta`): a consumer installs
 * only the SDK of the cloud it deploys to (a test keeps this table and package.json in step).
 */
export const CLOUD_SDKS: { readonly [C in Cloud]: { readonly packageName: string; readonly versionRange: string } } = {
    [Cloud.Aws]: { packageName: "@pulumi/aws", versionRange: "^7.48.0" },
    [Cloud.Azure]: { packageName: "@pulumi/azure-native", versionRange: "^3.28.0" },
};

/**
 * The Kubernetes SDK, also an optional peer dependency: only CookieServices (either cloud) and KubernetesCluster on
 * AWS (which installs its charts and add-ons) load it, so an Azure project without services installs none of it.
 */
export const KUBERNETES_SDK = { packageName: "@pulumi/kubernetes", versionRange: "^4.34.2" } as const;

/** Thrown when a component is built for a cloud whose SDK (or the Kubernetes SDK it needs there) the consumer has not installed. */
export class MissingCloudSdkError extends Error {
    constructor(public readonly cloud: Cloud, sdk: { readonly packageName: string; readonly versionRange: string } = CLOUD_SDKS[cloud]) {
        super(`Components built for ${cloud} need ${sdk.packageName}, which is not installed in this project: run npm install ${sdk.packageName}@${sdk.versionRange}`);
        this.name = "MissingCloudSdkError";
    }
}

/**
 * Checks that `@pulumi/kubernetes` is installed for `what` (a module that needs it on import), failing with one
 * sentence naming the package to install when the project has not installed it. It resolves the package without
 * loading its root index, which loads every API group and the Helm, YAML and kustomize support: the components
 * import only the groups they use.
 */
export function requireKubernetesSdk(what: string): void {
    try {
        require.resolve(KUBERNETES_SDK.packageName);
    } catch (err) {
        if (!isMissing(err, KUBERNETES_SDK.packageName)) throw err;
        const error = new Error(`${what} needs ${KUBERNETES_SDK.packageName}, which is not installed in this project: `
            + `run npm install ${KUBERNETES_SDK.packageName}@${KUBERNETES_SDK.versionRange}`);
        error.name = "MissingCloudSdkError";
        throw error;
    }
}

/** True when `err` is Node's "Cannot find module" for `packageName` itself (not for a module it requires). */
function isMissing(err: unknown, packageName: string): boolean {
    const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
    if (code !== "MODULE_NOT_FOUND" || typeof message !== "string") return false;
    const first = message.split("\n")[0];
    return first.includes(`'${packageName}'`) || first.includes(`'${packageName}/`);
}

/**
 * Runs `load` (which requires `cloud`'s SDK, directly or through an implementation module) and
 * turns a missing SDK into a {@link MissingCloudSdkError} that names the package to install.
 */
export function withCloudSdk<T>(cloud: Cloud, load: () => T): T {
    try {
        return load();
    } catch (err) {
        if (isMissing(err, CLOUD_SDKS[cloud].packageName)) throw new MissingCloudSdkError(cloud);
        if (isMissing(err, KUBERNETES_SDK.packageName)) throw new MissingCloudSdkError(cloud, KUBERNETES_SDK);
        throw err;
    }
}

/** Loads the implementation of a component for `cloud`; a missing cloud SDK fails naming the package to install. */
export function implementationFor<T>(cloud: Cloud, loaders: ImplementationLoaders<T>): T {
    return withCloudSdk(cloud, loaders[cloud]);
}

/**
 * The one shape of every component's cloud implementation. `plan` is plain data from the component's pure
 * `plan<Thing>()` (names, placement, defaults, the user's tags): every decision is made there and unit
 * tested. `inputs` holds only references to other resources (ids, secrets, outputs) that cannot be known
 * when planning. `build` creates the resources under `parent` and returns their outputs; it reads no raw args.
 */
export interface CloudImplementation<Plan, Inputs, Resources> {
    build(parent: pulumi.Resource, plan: Plan, inputs: Inputs): Resources;
}

/**
 * One value per cloud, checked by the compiler: a new cloud in {@link Cloud} fails to compile until every
 * table names its value, where a binary `cloud === Cloud.X ? a : b` would silently take the else branch.
 */
export type PerCloud<T> = { readonly [C in Cloud]: T };
