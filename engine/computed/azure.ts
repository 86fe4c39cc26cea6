/**
 * Mocked ids and computed attributes of Azure resources: ARM ids built from
 * the resource group, provider namespace and name, as Azure returns them.
 */
import { ComputedTable, MockContext } from "./types";

/** Resource provider namespace per azure-native module. */
const NAMESPACES: Readonly<Record<string, string>> = {
    network: "Microsoft.Network",
    compute: "Microsoft.Compute",
    containerservice: "Microsoft.ContainerService",
    redisenterprise: "Microsoft.Cache",
    redis: "Microsoft.Cache",
    cosmosdb: "Microsoft.DocumentDB",
    documentdb: "Microsoft.DocumentDB",
    eventhub: "Microsoft.EventHub",
    managedidentity: "Microsoft.ManagedIdentity",
    keyvault: "Microsoft.KeyVault",
    storage: "Microsoft.Storage",
    operationalinsights: "Microsoft.OperationalInsights",
    authorization: "Microsoft.Authorization",
    privatedns: "Microsoft.Network",
    cdn: "Microsoft.Cdn",
    monitor: "Microsoft.Insights",
    insights: "Microsoft.Insights",
};

/** Child resources live under their parent's id: type token -> [parent name input, parent collection, own collection]. */
const CHILDREN: Readonly<Record<string, readonly [string, string, string]>> = {
    "azure-native:network:Subnet": ["virtualNetworkName", "virtualNetworks", "subnets"],
    "azure-native:containerservice:AgentPool": ["resourceName", "managedClusters", "agentPools"],
    "azure-native:eventhub:EventHub": ["namespaceName", "namespaces", "eventhubs"],
    "azure-native:redisenterprise:Database": ["clusterName", "redisEnterprise", "databases"],
    "azure-native:network:PrivateDnsZoneGroup": ["privateEndpointName", "privateEndpoints", "privateDnsZoneGroups"],
    "azure-native:privatedns:VirtualNetworkLink": ["privateZoneName", "privateDnsZones", "virtualNetworkLinks"],
};

/** ARM collection names that are not the type's camel-cased plural. */
const COLLECTIONS: Readonly<Record<string, string>> = {
    "azure-native:redisenterprise:RedisEnterprise": "redisEnterprise",
    "azure-native:privatedns:PrivateZone": "privateDnsZones",
    "azure-native:network:PrivateDnsZone": "privateDnsZones",
    "azure-native:network:PublicIPAddress": "publicIPAddresses",
    "azure-native:cosmosdb:DatabaseAccount": "databaseAccounts",
};

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The input that names a resource explicitly, e.g. `virtualNetworkName` for a VirtualNetwork. */
export function azureNameInput(type: string): string {
    const kind = type.split(":")[2];
    return `${lowerFirst(kind)}Name`;
}

/** The ARM id an Azure resource gets under the mocks. */
export function azureId(ctx: Omit<MockContext, "id">): string {
    const [, module, kind] = ctx.type.split(":");
    const subscription = `/subscriptions/${ctx.azure.subscriptionId}`;
    if (ctx.type === "azure-native:resources:ResourceGroup") return `${subscription}/resourceGroups/${ctx.physicalName}`;
    const namespace = NAMESPACES[module] ?? `Microsoft.${module.charAt(0).toUpperCase()}${module.slice(1)}`;
    const group = `${subscription}/resourceGroups/${ctx.inputs.resourceGroupName ?? "rg"}/providers/${namespace}`;
    const child = CHILDREN[ctx.type];
    if (child) return `${group}/${child[1]}/${ctx.inputs[child[0]]}/${child[2]}/${ctx.physicalName}`;
    return `${group}/${COLLECTIONS[ctx.type] ?? `${lowerFirst(kind)}s`}/${ctx.physicalName}`;
}

/** Attributes every Azure resource gets: `name`, `location`, `type`. */
export function azureCommon(ctx: MockContext): Record<string, unknown> {
    const [, module, kind] = ctx.type.split(":");
    const namespace = NAMESPACES[module] ?? module;
    return {
        name: ctx.physicalName, location: ctx.inputs.location ?? ctx.azure.location,
        type: `${namespace}/${COLLECTIONS[ctx.type] ?? `${lowerFirst(kind)}s`}`, provisioningState: "Succeeded",
    };
}

/** Network, bastion and shared Azure types. */
export const azureComputed: ComputedTable = {
    "azure-native:network:PublicIPAddress": (ctx) => ({ ipAddress: `198.51.100.${parseInt(ctx.hash.slice(0, 2), 16) % 250 + 1}` }),
    "azure-native:managedidentity:UserAssignedIdentity": (ctx) => ({
        clientId: `${ctx.hash.slice(0, 8)}-0000-4000-8000-${ctx.hash.slice(8, 20)}`,
        principalId: `${ctx.hash.slice(12, 20)}-0000-4000-8000-${ctx.hash.slice(20, 32)}`,
        tenantId: ctx.azure.tenantId,
    }),
    // Front Door endpoints get a host under azurefd.net; custom domains a DNS TXT validation token.
    "azure-native:cdn:AFDEndpoint": (ctx) => ({ hostName: `${ctx.physicalName}-${ctx.hash.slice(0, 16)}.z01.azurefd.net` }),
    "azure-native:cdn:AFDCustomDomain": (ctx) => ({
        domainValidationState: "Pending",
        validationProperties: { validationToken: ctx.hash.slice(0, 32), expirationDate: "2026-12-08T00:00:00Z" },
    }),
};
