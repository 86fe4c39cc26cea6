/**
 * Data stores are not reachable from the internet and live in the isolated
 * data tier: AWS stores in `data` subnets, Azure stores behind private
 * endpoints in the data subnet.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DATA_STORE_TYPES, Types, at, dependenciesOf, label, ofTypes } from "../common";
import { Topology } from "../topology";

export const dataStorePrivate: ResourceValidationPolicy = {
    name: "data-store-private",
    description: "Data stores have public network access disabled.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "network"],
    validateResource: (args, report) => {
        const p = args.props;
        switch (args.type) {
            case Types.AwsKafka: {
                const access = at(p, "brokerNodeGroupInfo.connectivityInfo.publicAccess.type") ?? "DISABLED";
                if (access !== "DISABLED") report(`brokerNodeGroupInfo.connectivityInfo.publicAccess.type is ${JSON.stringify(access)}; use "DISABLED"`);
                return;
            }
            case Types.AwsRedis:
            case Types.AwsDocDbCluster:
                return; // reachable only inside the VPC; placement is checked by data-store-isolated-subnets
            case Types.AzureRedis:
            case Types.AzureCosmos:
            case Types.AzureEventHubNamespace:
                // Cosmos DB and Event Hubs default to Enabled when the property is absent.
                if (p.publicNetworkAccess !== "Disabled") report(`publicNetworkAccess is ${JSON.stringify(p.publicNetworkAccess ?? "Enabled (the default)")}; use "Disabled"`);
                return;
            default:
                return args.notApplicable("not a data store");
        }
    },
};

export const dataStoreIsolatedSubnets: StackValidationPolicy = {
    name: "data-store-isolated-subnets",
    description: "Every data store sits only in the isolated data tier: AWS stores in `data` subnets, Azure stores behind private endpoints in the data subnet.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "network"],
    validateStack: (args, report) => {
        const stores = ofTypes(args, ...DATA_STORE_TYPES);
        if (stores.length === 0) args.notApplicable("the stack has no data stores");
        const topology = new Topology(args.resources);
        const endpoints = ofTypes(args, Types.AzurePrivateEndpoint);
        for (const store of stores) {
            const subnets = store.type.startsWith("azure-native:") ? endpointSubnets(store, endpoints, topology) : topology.subnetsOf(store);
            if (subnets.length === 0) {
                report(`${label(store)}: is placed in no subnet of the network${store.type.startsWith("azure-native:") ? " (no private endpoint)" : " (it would use the default VPC's subnets)"}`, store.urn);
                continue;
            }
            const outside = subnets.filter((s) => s.tier !== "data");
            if (outside.length > 0) report(`${label(store)}: is placed in non-data subnet(s) ${outside.map((s) => `${s.resource.name} (${s.tier || "untiered"})`).join(", ")}`, store.urn);
        }
    },
};

function endpointSubnets(store: PolicyResource, endpoints: PolicyResource[], topology: Topology) {
    return endpoints
        .filter((e) => dependenciesOf(e, "privateLinkServiceConnections").some((d) => d.urn === store.urn))
        .flatMap((e) => topology.subnetsOf(e));
}
