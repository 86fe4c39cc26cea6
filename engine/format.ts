/**
 * The offline plan's JSON format. Other tools (the policy runner, the zone-loss
 * analysis, the spin-up estimate, tests) read it, so it is a contract: add
 * fields, never rename or remove them. See "Plan format" in the README.
 */

/** Every value that was a Pulumi secret is replaced by this string. */
export const REDACTED = "[secret]";
/** A value not known at plan time (mocks rarely produce these). */
export const UNKNOWN = "[unknown]";

/** One registered resource: custom resources, components and the stack itself. */
export interface PlannedResource {
    /** The resource's URN. */
    urn: string;
    /** The type token, e.g. `aws:ec2/subnet:Subnet` or `intergalactic:index:Vpc3Az`. */
    type: string;
    /** The logical name given in the program. */
    name: string;
    /** The parent's URN, or "" for the stack itself. */
    parent: string;
    /** URNs this resource depends on (explicit `dependsOn` and through Outputs). */
    dependencies: string[];
    /** The inputs sent to the engine, with secrets redacted. Empty for components. */
    inputs: Record<string, unknown>;
    /** True for a cloud resource, false for a component. */
    custom: boolean;
    /** The mocked id of a custom resource; "" for components. */
    id: string;
    /** Inputs plus mocked computed attributes (custom) or registered outputs (components), secrets redacted. */
    outputs: Record<string, unknown>;
    /** Per input property, the URNs it depends on. */
    propertyDependencies: Record<string, string[]>;
    /** Resource options that policies care about. */
    options: {
        protect: boolean;
        retainOnDelete: boolean;
        deletedWith: string;
        ignoreChanges: string[];
        /** Explicit provider reference, "" for the default provider. */
        provider: string;
        /** Earlier identities the resource keeps (`aliases`): URNs or logical names; absent when none. */
        aliases?: string[];
        /** The id of an existing cloud resource the resource adopts (Pulumi `import`); "" or absent when it is created. */
        importId?: string;
    };
}

/** A whole plan: one program run. */
export interface Plan {
    /** The stack name, e.g. `dev`. */
    stack: string;
    /** `aws` or `azure`, from `intergalactic:cloud`. */
    cloud: string;
    /** The plan format version; bumped only for incompatible changes. */
    formatVersion: 1;
    resources: PlannedResource[];
    /** The stack's outputs, secrets redacted. */
    stackOutputs: Record<string, unknown>;
}
