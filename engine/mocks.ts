/**
 * Pulumi mocks that behave like the clouds closely enough for a faithful
 * offline plan: stable ids in each cloud's own format, physical names as the
 * providers' autonaming would make them, computed attributes per type, and
 * realistic invoke answers.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { awsCommon, awsId } from "./computed/aws";
import { azureCommon, azureId, azureNameInput } from "./computed/azure";
import { COMPUTED } from "./computed";
import { MockContext } from "./computed/types";
import type { PlannedResource } from "./format";
import { MOCK_IDENTITY, answerInvoke } from "./invokes";

export interface PlanMocksOptions {
    /** The AWS region (`aws:region`). */
    awsRegion?: string;
    /** The Azure location (`azure-native:location`). */
    azureLocation?: string;
    /**
     * The outputs of the stack's last deployment, as a StackReference to the stack itself reads them
     * (e.g. the `stackOutputs` of an earlier plan); none: the stack was never deployed.
     */
    previousOutputs?: Record<string, unknown>;
    /**
     * What the cloud holds, for invokes that read live resources (e.g. an earlier plan's resources), and for
     * what a provider keeps from a resource's old state: azure-native fills a missing `location` from the old
     * inputs before the config (pulumi-azure-native provider.go getDefaultLocation), so an existing resource
     * stays where it is when `azure-native:location` changes. None: nothing deployed.
     */
    deployed?: readonly PlannedResource[];
}

/**
 * Attributes a deployed resource keeps from the provider's last read, over what the mocks would make up, per type: what
 * the cloud may change behind the program's back. A DocumentDB global cluster's members and which of them writes
 * change with a failover (@pulumi/aws docdb/globalCluster.d.ts, `globalClusterMembers`).
 */
const READ_BACK: Readonly<Record<string, readonly string[]>> = {
    "aws:docdb/globalCluster:GlobalCluster": ["globalClusterMembers"],
};

/** A short hex digest, stable for the same input. */
export function stableHash(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/** The input that holds an explicit provider's region, per provider type. */
const PROVIDER_REGION_INPUT: Readonly<Record<string, string>> = {
    "pulumi:providers:aws": "region",
    "pulumi:providers:azure-native": "location",
};

/** The cloud provider packages (the first part of a type token) whose resources have their cloud's id format and common attributes. */
export type CloudProvider = "aws" | "azure-native";

interface ProviderMock {
    /** The id the provider gives a new resource. */
    readonly id: (ctx: Omit<MockContext, "id">) => string;
    /** The attributes every resource of the provider computes (ARN, ARM id parts, ...). */
    readonly common: (ctx: MockContext) => Record<string, unknown>;
}

/** Per cloud provider, its resources' ids and common attributes: a table the compiler checks, so a new cloud's package must name both. */
const CLOUD_PROVIDERS: Readonly<Record<CloudProvider, ProviderMock>> = {
    aws: { id: (ctx) => awsId(ctx.type, ctx.physicalName, ctx.hash, ctx.inputs), common: awsCommon },
    "azure-native": { id: azureId, common: azureCommon },
};

/** Any other package (random, kubernetes, tls, ...): a physical name with a stable suffix, nothing computed in common. */
const OTHER_PROVIDER: ProviderMock = { id: (ctx) => `${ctx.physicalName}-${ctx.hash.slice(0, 8)}`, common: () => ({}) };

/** The id part of a provider reference (`<urn>::<id>`); "" for the default provider. */
function providerId(reference: string | undefined): string {
    if (!reference) return "";
    const at = reference.lastIndexOf("::");
    return at < 0 ? "" : reference.slice(at + 2);
}

export class PlanMocks implements pulumi.runtime.Mocks {
    private readonly awsRegion: string;
    private readonly azureLocation: string;
    private readonly previousOutputs: Record<string, unknown>;
    private readonly deployed: readonly PlannedResource[];
    /** The location each deployed Azure resource is in, by `type::name`. */
    private readonly deployedLocations = new Map<string, string>();
    /** The {@link READ_BACK} attributes of each deployed resource, by `type::name`. */
    private readonly deployedReadBack = new Map<string, Record<string, unknown>>();
    /** The region or location each explicit cloud provider was given, by the provider's id. */
    private readonly providerRegions = new Map<string, string>();

    constructor(options: PlanMocksOptions = {}) {
        this.awsRegion = options.awsRegion ?? "us-east-1";
        this.azureLocation = options.azureLocation ?? "westeurope";
        this.previousOutputs = options.previousOutputs ?? {};
        this.deployed = options.deployed ?? [];
        for (const r of this.deployed) {
            if (r.type.startsWith("azure-native:") && typeof r.outputs.location === "string") this.deployedLocations.set(`${r.type}::${r.name}`, r.outputs.location);
            const kept = (READ_BACK[r.type] ?? []).filter((key) => r.outputs[key] !== undefined);
            if (kept.length > 0) this.deployedReadBack.set(`${r.type}::${r.name}`, Object.fromEntries(kept.map((key) => [key, r.outputs[key]])));
        }
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        if (args.type === "pulumi:pulumi:StackReference") {
            return { id: args.id || args.name, state: { name: args.inputs.name, outputs: this.previousOutputs, secretOutputNames: [] } };
        }
        const hash = stableHash(`${args.type}::${args.name}`);
        const cloud = args.type.split(":")[0];
        const physicalName = this.physicalName(args.type, args.name, args.inputs, hash);
        const region = this.providerRegions.get(providerId(args.provider));
        // An Azure resource without a location input keeps the one it was created in, whatever the config says now.
        const kept = args.inputs.location === undefined ? this.deployedLocations.get(`${args.type}::${args.name}`) : undefined;
        const base = {
            type: args.type, name: args.name, inputs: args.inputs, physicalName, hash,
            aws: { region: region ?? this.awsRegion, accountId: MOCK_IDENTITY.awsAccountId },
            azure: { location: kept ?? region ?? this.azureLocation, subscriptionId: MOCK_IDENTITY.azureSubscriptionId, tenantId: MOCK_IDENTITY.azureTenantId },
        };
        const provider = Object.prototype.hasOwnProperty.call(CLOUD_PROVIDERS, cloud) ? CLOUD_PROVIDERS[cloud as CloudProvider] : OTHER_PROVIDER;
        const id = args.id || provider.id(base);
        const ctx: MockContext = { ...base, id };
        const common = provider.common(ctx);
        const specific = COMPUTED[args.type]?.(ctx) ?? {};
        // An explicit provider of another region (a regional stamp): what it creates and looks up is in that region.
        const providerRegion = PROVIDER_REGION_INPUT[args.type];
        if (providerRegion && typeof args.inputs[providerRegion] === "string") this.providerRegions.set(id, args.inputs[providerRegion]);
        const readBack = this.deployedReadBack.get(`${args.type}::${args.name}`) ?? {};
        return { id, state: { ...args.inputs, ...common, ...specific, ...readBack, id } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        try {
            return answerInvoke(args.token, args.inputs, { awsRegion: this.providerRegions.get(providerId(args.provider)) ?? this.awsRegion, deployed: this.deployed });
        } catch (err) {
            // The SDK rethrows a failed invoke as `new Error(err.details)` (the engine's gRPC field), so a
            // plain Error would reach the program as an empty "Error": carry the reason in `details`.
            const message = err instanceof Error ? err.message : String(err);
            throw Object.assign(new Error(message), { details: message });
        }
    }

    /** The name the provider would give the resource: explicit when set, else autonamed with a random-looking suffix. */
    private physicalName(type: string, name: string, inputs: Record<string, any>, hash: string): string {
        if (type.startsWith("azure-native:")) {
            const explicit = inputs[azureNameInput(type)];
            // Azure autonaming appends 8 characters without a separator.
            return typeof explicit === "string" ? explicit : `${name}${hash.slice(0, 8)}`;
        }
        if (typeof inputs.name === "string") return inputs.name;
        // AWS autonaming appends a hyphen and 7 random characters.
        return `${name}-${hash.slice(0, 7)}`;
    }
}
