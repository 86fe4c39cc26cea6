/**
 * The SDK's alias URNs, not computed during a plan: the engine takes alias specs and nothing reads them.
 *
 * Every `Resource` constructor of `@pulumi/pulumi` turns each of its `aliases` into a URN (`collapseAliasToUrn`
 * in `resource.js`: the alias through `output()`, then `createUrn`, which waits for the parent's URN and
 * interpolates; about fourteen Outputs per alias) and keeps them as `__aliases`. The SDK reads `__aliases` only
 * to compute its children's aliases itself, for an engine that does not take alias specs (`allAliases`,
 * called by `prepareResource` when `supportsAliasSpecs` is false); with alias specs, which the mocks declare
 * (`runtime/mocks.js`), it sends each resource's own `aliases` as specs (`mapAliasesForRequest`) and leaves
 * the children's to the engine (pulumi/pulumi#11062). The Kubernetes SDK gives most of its objects one to
 * three type aliases (a Deployment `apps/v1beta1`, `apps/v1beta2`, `extensions/v1beta1`): 976 aliases in the
 * plan of prod + 60, about a fifth of its CPU and a tenth of its peak memory (tools/bench/PROFILE.md).
 *
 * The collapse is internal to the constructor, between `this.__aliases = []` and its capture of the source
 * position (`Resource.stackTrace`); in that window its only calls of the output module's `output` are the
 * aliases themselves. Here the first assignment opens the window, the capture closes it, and in it `output`
 * answers a plain alias object with a stand-in whose `apply` computes nothing. What the resource registers is
 * unchanged: its aliases are read from its options, not from `__aliases`, when the registration is prepared.
 * Anything else in the window (a URN string, an Output) closes it and goes to the SDK's own `output`.
 */
import * as pulumi from "@pulumi/pulumi";

interface OutputModule {
    output(value: unknown): unknown;
}
interface StateModule {
    getStore(): { supportsAliasSpecs?: boolean };
}
interface ResourceStatics {
    stackTrace?: (skip: number) => unknown[];
}

// Not in the SDK's .d.ts: `resource.js` calls `output` through this module's exports object.
const outputModule: OutputModule = require("@pulumi/pulumi/output");
const state: StateModule = require("@pulumi/pulumi/runtime/state");

/** What an alias collapses to in the window: nothing, however it is applied. */
const NOT_COLLAPSED: { apply(): unknown } = Object.freeze({ apply: () => NOT_COLLAPSED });

const isPlainObject = (value: unknown): boolean =>
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * An alias that names its `name` or `type` as undefined: the SDK's collapse rejects it ("No valid 'name' passed
 * in for alias.", `collapseAliasToUrn` in `resource.js`), which fails the program under `pulumi up` as an
 * unhandled rejection; it goes to the SDK so the plan fails the same way.
 */
const isRejectedBySdk = (alias: object): boolean =>
    (Object.prototype.hasOwnProperty.call(alias, "name") && (alias as { name?: unknown }).name === undefined) ||
    (Object.prototype.hasOwnProperty.call(alias, "type") && (alias as { type?: unknown }).type === undefined);

/**
 * Until the returned function is called, resources built while the SDK's monitor takes alias specs keep no
 * alias URNs. Call it after `setMocks` (which declares alias specs) and after any other replacement of
 * `Resource.stackTrace`, and call what it returns before restoring that one.
 */
export function withoutAliasUrns(): () => void {
    const resource = pulumi.Resource as unknown as ResourceStatics;
    const prototype = pulumi.Resource.prototype as object;
    const stackTrace = resource.stackTrace;
    const output = outputModule.output;
    if (typeof stackTrace !== "function" || typeof output !== "function" || "__aliases" in prototype) return () => undefined;
    let collapsing = false;
    Object.defineProperty(prototype, "__aliases", {
        configurable: true,
        get: () => undefined,
        set(this: object, aliases: unknown) {
            Object.defineProperty(this, "__aliases", { value: aliases, writable: true, enumerable: true, configurable: true });
            collapsing = state.getStore().supportsAliasSpecs === true;
        },
    });
    // The SDK's `output(val)` takes its one argument.
    outputModule.output = (value: unknown) => {
        if (collapsing && isPlainObject(value) && !isRejectedBySdk(value as object)) return NOT_COLLAPSED;
        collapsing = false;
        return output(value);
    };
    resource.stackTrace = (skip: number) => {
        collapsing = false;
        return stackTrace(skip);
    };
    return () => {
        resource.stackTrace = stackTrace;
        outputModule.output = output;
        delete (prototype as { __aliases?: unknown }).__aliases;
    };
}
