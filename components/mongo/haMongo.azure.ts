/**
 * HaMongo on Azure: an Azure Cosmos DB for MongoDB (RU) account, zone-redundant
 * in its region with automatic failover and continuous backup, closed to the
 * public network and reached through a private endpoint in the data subnet
 * whose name resolves through the `privatelink.mongo.cosmos.azure.com` zone.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as cosmosdb from "@pulumi/azure-native/cosmosdb";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { NOTHING_KEPT, RestoreSource, RestoreSourceKind, dataResourceGroup, resourceGroupOfId } from "../common/dataStore";
import { childName } from "../common/naming";
import { TagKeys, Tags, mergeTags } from "../common/tags";
import { primaryConnectionString, restorableAccountId } from "./credentials";
import { HaMongoImplementation, HaMongoInputs, HaMongoResources } from "./haMongo";
import { ID_FIELD } from "./collections";
import { CosmosLimits } from "./layout";
import { MongoPlan } from "./mongoPlan";

export class AzureHaMongo implements HaMongoImplementation {
    build(parent: pulumi.Resource, plan: MongoPlan, inputs: HaMongoInputs): HaMongoResources {
        const opts = { parent };
        const tags = mergeTags(undefined, plan.tags, { [TagKeys.Component]: plan.name, [TagKeys.Tier]: "data" });
        const resourceGroupName = dataResourceGroup(inputs);

        const location = accountLocation(plan, inputs);
        const locationNames = accountLocationNames(plan, location);
        const account = this.account(plan, location, locationNames, resourceGroupName, tags, opts);
        // When a location is added or removed, Azure marks every existing private endpoint of the account
        // "ActionsRequired: Recreate": an endpoint gets the new region's address and DNS record only from a PUT of
        // itself ("Update private endpoint when you add or remove a region",
        // https://learn.microsoft.com/azure/cosmos-db/how-to-configure-private-endpoints). A tag carrying the
        // account's locations changes with them, so the up updates each endpoint in place (azure-native updates
        // with a PUT of the whole resource; tags are a body field, not a path parameter, so never a replacement).
        // Each endpoint takes the account's id, so its update runs after the account's.
        const endpointTags = locationNames.apply((names) => ({ ...tags, [ACCOUNT_LOCATIONS_TAG]: [...names].sort().join(" ") }));
        // A restore brings the databases back with the account; creating one again would conflict.
        const database = plan.restoreFromSnapshot === undefined
            ? new cosmosdb.MongoDBResourceMongoDBDatabase(childName(plan.name, "database"), {
                resourceGroupName,
                accountName: account.name,
                databaseName: plan.databaseName,
                resource: { id: plan.databaseName },
                options: { autoscaleSettings: { maxThroughput: plan.maxThroughput } },
                tags,
            }, opts)
            : undefined;
        // Cosmos DB runs one control-plane operation per account at a time ("There is another user operation
        // in progress which requires an exclusive lock", hashicorp/terraform-provider-azurerm#15842): the
        // database, its collections, the private endpoint (it writes a connection on the account) and the lock
        // go one by one.
        const written = database ? this.collections(plan, resourceGroupName, account, database, tags, opts) : [];
        const endpoint = this.privateAccess(plan, inputs, account, resourceGroupName, tags, endpointTags, written.slice(-1), opts);
        // Each other region's network reaches the account through an endpoint of its own, one after the other.
        const remote: network.PrivateEndpoint[] = [];
        for (const access of inputs.replicaAccess ?? []) {
            const after = remote.length > 0 ? remote.slice(-1) : [endpoint];
            const place = { key: access.region, location: access.region, subnetId: access.subnetId, networkId: access.networkId, resourceGroupName: resourceGroupOfId(access.subnetId) };
            remote.push(this.endpointAndDns(plan, inputs, account.id, place, tags, endpointTags, after, opts));
        }
        if (plan.deletionProtection) {
            // Cosmos DB has no deletion-protection flag; a CanNotDelete lock is Azure's equivalent. It depends on
            // the endpoint so that a destroy removes the lock first: deleting an endpoint deletes its connection
            // proxy on the account, which the lock refuses (ScopeLocked, hashicorp/terraform-provider-azurerm#17478).
            new authorization.ManagementLockByScope(childName(plan.name, "lock"), {
                scope: account.id,
                level: "CanNotDelete",
                notes: `Deletion protection of ${plan.name}: remove deletionProtection to delete the account`,
            }, { ...opts, dependsOn: [endpoint, ...remote, ...written.slice(-1)] });
        }

        return {
            ...accountAccess(account.name, resourceGroupName, opts),
            resourceId: account.id,
            restoreSource: plan.keepsRestorableAccount ? restorableAccount(plan, account, opts) : pulumi.output(NOTHING_KEPT),
            replicationSource: plan.replicaRegions.length > 0 ? account.id : pulumi.output(""),
            replicationWriter: pulumi.output(""),
            replicationMembers: pulumi.output([]),
        };
    }

    /**
     * The database, then each declared collection after the one before it: the account refuses key-based metadata
     * writes, so these are the only collections clients find. Returns the chain, the database first.
     */
    private collections(
        plan: MongoPlan, resourceGroupName: pulumi.Input<string>, account: cosmosdb.DatabaseAccount,
        database: cosmosdb.MongoDBResourceMongoDBDatabase, tags: Tags, opts: pulumi.CustomResourceOptions,
    ): pulumi.Resource[] {
        const chain: pulumi.Resource[] = [database];
        for (const collection of plan.collections) {
            chain.push(new cosmosdb.MongoDBResourceMongoDBCollection(childName(plan.name, `collection-${collection.name}`), {
                resourceGroupName,
                accountName: account.name,
                // The name as declared; the chain, not an Output, orders the collection after the database.
                databaseName: plan.databaseName,
                collectionName: collection.name,
                resource: {
                    id: collection.name,
                    // The database's throughput is shared, and Cosmos DB refuses an unsharded collection in it
                    // ("Shared throughput collection should have a partition key", MicrosoftDocs/azure-docs#35841).
                    shardKey: { [collection.shardKey]: "Hash" },
                    // The _id index is listed as the service reports it, without `unique`, which ARM refuses on it
                    // ("The field 'unique' is not valid for _id index specification", hashicorp/terraform-provider-azurerm#24853).
                    indexes: [
                        { key: { keys: [ID_FIELD] } },
                        // Options only where set: ARM reports a plain index without them.
                        ...collection.indexes.map((index) => ({
                            key: { keys: [...index.keys] },
                            ...(index.unique || index.expireAfterSeconds !== undefined
                                ? { options: { ...(index.unique ? { unique: true } : {}), ...(index.expireAfterSeconds !== undefined ? { expireAfterSeconds: index.expireAfterSeconds } : {}) } }
                                : {}),
                        })),
                    ],
                },
                tags,
            }, {
                ...opts,
                dependsOn: [chain[chain.length - 1]],
                // With deletionProtection a collection dropped from the list is refused instead of deleted with its documents.
                protect: plan.deletionProtection,
            }));
        }
        return chain;
    }

    private account(plan: MongoPlan, location: pulumi.Input<string>, locationNames: pulumi.Output<string[]>, resourceGroupName: pulumi.Input<string>, tags: Tags, opts: pulumi.CustomResourceOptions): cosmosdb.DatabaseAccount {
        const restoring = plan.restoreFromSnapshot !== undefined;
        return new cosmosdb.DatabaseAccount(childName(plan.name, "db"), {
            resourceGroupName,
            location,
            kind: "MongoDB",
            databaseAccountOfferType: "Standard",
            apiProperties: { serverVersion: plan.version },
            // Azure's own MongoDB account templates set this capability alongside the kind.
            capabilities: [{ name: "EnableMongo" }],
            // One write region whose replicas Azure spreads over the region's availability zones, then each region of
            // a copy, in failover order. Adding a location is an update of the live account, not a new one; a location's
            // zone redundancy is chosen when it is added and cannot change later
            // (https://learn.microsoft.com/azure/cosmos-db/how-to-manage-database-account#add-remove-regions-from-your-database-account).
            locations: locationNames.apply((names) => names.map((locationName, failoverPriority) => ({ locationName, failoverPriority, isZoneRedundant: true }))),
            enableAutomaticFailover: true,
            enableMultipleWriteLocations: false,
            consistencyPolicy: { defaultConsistencyLevel: "Session" },
            backupPolicy: { type: "Continuous", continuousModeProperties: { tier: plan.continuousTier } },
            publicNetworkAccess: "Disabled",
            networkAclBypass: "None",
            minimalTlsVersion: "Tls12",
            // The MongoDB API (RU) authenticates with account keys only: Entra ID data-plane auth exists
            // for the NoSQL API, so disabling local auth would lock every Mongo client out. The keys stay
            // secret and the account is reachable only through the private endpoint.
            disableLocalAuth: false,
            // Keys may read and write documents but not change databases, collections or throughput: without
            // this a leaked key can drop collections under the CanNotDelete lock, which guards only ARM
            // (https://learn.microsoft.com/azure/cosmos-db/role-based-access-control#prevent-sdk-changes).
            // Collections and indexes are then created through ARM only, not implicitly by a client.
            disableKeyBasedMetadataWriteAccess: true,
            createMode: restoring ? "Restore" : "Default",
            restoreParameters: restoring
                ? { restoreMode: "PointInTime", restoreSource: plan.restoreFromSnapshot, restoreTimestampInUtc: plan.restoreTimestampUtc }
                : undefined,
            tags,
        }, {
            ...opts,
            protect: plan.deletionProtection,
            // A restore applies only at creation: a later change of the restore key must not replace a live account.
            ignoreChanges: ["createMode", "restoreParameters"],
        });
    }

    private privateAccess(
        plan: MongoPlan, inputs: HaMongoInputs, account: cosmosdb.DatabaseAccount, resourceGroupName: pulumi.Input<string>,
        tags: Tags, endpointTags: pulumi.Input<Tags>, after: pulumi.Resource[], opts: pulumi.CustomResourceOptions,
    ): network.PrivateEndpoint {
        const own = { key: "", location: accountLocation(plan, inputs), subnetId: inputs.subnetIds[0], networkId: inputs.networkId, resourceGroupName };
        return this.endpointAndDns(plan, inputs, account.id, own, tags, endpointTags, after, opts);
    }

    /**
     * A network's private endpoint to the account and its private DNS zone. Every network with an endpoint has a zone
     * of its own: one zone linked to two networks would take both endpoints' records for the same names, each
     * overwriting the other's addresses (https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration).
     * An endpoint is in its network's region; clients in any of them write to the write region and read from the
     * nearest (https://learn.microsoft.com/azure/cosmos-db/mongodb/readpreference-global-distribution).
     */
    private endpointAndDns(
        plan: MongoPlan, inputs: HaMongoInputs, accountId: pulumi.Input<string>, at: EndpointPlace,
        tags: Tags, endpointTags: pulumi.Input<Tags>, after: pulumi.Resource[], opts: pulumi.CustomResourceOptions,
    ): network.PrivateEndpoint {
        const name = (base: string): string => at.key === "" ? childName(plan.name, base) : childName(plan.name, base, at.key);
        const resourceGroupName = at.resourceGroupName;
        const endpointName = name("endpoint");
        const endpoint = new network.PrivateEndpoint(endpointName, {
            resourceGroupName,
            location: at.location,
            subnet: { id: at.subnetId },
            privateLinkServiceConnections: [{
                name: endpointName,
                privateLinkServiceId: accountId,
                groupIds: [CosmosLimits.privateEndpointGroupId],
            }],
            tags: endpointTags,
        }, {
            ...opts,
            dependsOn: after,
            // Under the account's lock the endpoint cannot be deleted or replaced anyway (ScopeLocked): protect
            // makes Pulumi refuse it up front instead of failing halfway through an update.
            protect: plan.deletionProtection,
        });
        const zone = new privatedns.PrivateZone(name("dns"), {
            resourceGroupName,
            privateZoneName: CosmosLimits.privateDnsZone,
            location: "Global",
            tags,
        }, opts);
        new privatedns.VirtualNetworkLink(name("dns-link"), {
            resourceGroupName,
            privateZoneName: zone.name,
            location: "Global",
            virtualNetwork: { id: at.networkId },
            registrationEnabled: false,
            tags,
        }, opts);
        new network.PrivateDnsZoneGroup(name("dns-group"), {
            resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: [{ name: "mongo", privateDnsZoneId: zone.id }],
        }, opts);
        return endpoint;
    }
}

/** The tag on each private endpoint naming the account's locations, sorted: its change re-PUTs the endpoint. */
export const ACCOUNT_LOCATIONS_TAG = "intergalactic:cosmos-locations";

/** The account's locations in failover order: the write region first, then each region of a copy. */
function accountLocationNames(plan: MongoPlan, location: pulumi.Input<string>): pulumi.Output<string[]> {
    return pulumi.output(location).apply((at) => [at, ...plan.replicaRegions]);
}

/**
 * Where the account goes: where its network really is (its resource group's `location` output) when the network gives it.
 * An account cannot move: a changed location replaces it with an empty one. azure-native keeps an existing
 * resource's old location over a changed `azure-native:location` (pulumi-azure-native provider.go
 * getDefaultLocation: old inputs first, then the config), so the VNet stays; a location taken from the config
 * would follow the new value and replace the database account. An explicit location is kept as written and
 * compared with the network's once that is known (at preview for an existing network, else during the up,
 * before the account is created).
 */
export function accountLocation(plan: Pick<MongoPlan, "name" | "location" | "explicitLocationKey">, inputs: Pick<HaMongoInputs, "location">): pulumi.Input<string> {
    const real = inputs.location;
    if (real === undefined) return plan.location;
    const key = plan.explicitLocationKey;
    if (key === undefined) return real;
    return pulumi.output(real).apply((at) => {
        if (at.toLowerCase().replace(/\s/g, "") !== plan.location.toLowerCase().replace(/\s/g, "")) {
            throw new Error(`${plan.name}: ${key}: "${plan.location}" is not the network's location (${at}): the account belongs in its network's region; leave ${key} out to take the network's`);
        }
        return plan.location;
    });
}

/**
 * The deleted account stays restorable from its continuous backup for the tier's days: its restorable
 * account id is `/subscriptions/<id>/providers/Microsoft.DocumentDB/locations/<location>/restorableDatabaseAccounts/<instanceId>`,
 * and a restore needs a point in time at or just before the deletion
 * (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction#restore-scenarios).
 */
function restorableAccount(plan: MongoPlan, account: cosmosdb.DatabaseAccount, opts: pulumi.InvokeOptions): pulumi.Output<RestoreSource> {
    const client = authorization.getClientConfigOutput(opts);
    // The account's own location output: where it is, whatever the config says now.
    return pulumi.all([client.subscriptionId, account.instanceId, account.location]).apply(([subscription, instance, at]) => ({
        kind: RestoreSourceKind.CosmosRestorableAccount,
        snapshot: restorableAccountId(subscription, at ?? plan.location, instance),
        encryptionKeyArn: "",
        needsPointInTime: true,
        restorableForDays: plan.restorableForDays,
    }));
}

/** Where a private endpoint to the account goes: the store's own data subnet (key "") or another region's. */
interface EndpointPlace {
    /** Ends the names of another region's endpoint resources; "" for the store's own. */
    readonly key: string;
    readonly location: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly networkId: pulumi.Input<string>;
    readonly resourceGroupName: pulumi.Input<string>;
}

/** How clients reach an account: its global host (the driver finds the regions from it) and its primary keys. */
function accountAccess(accountName: pulumi.Output<string>, resourceGroupName: pulumi.Input<string>, opts: pulumi.InvokeOptions): Pick<HaMongoResources, "connection" | "credentials"> {
    const host = pulumi.interpolate`${accountName}.mongo.cosmos.azure.com`;
    const lookup = { accountName, resourceGroupName };
    const keys = cosmosdb.listDatabaseAccountKeysOutput(lookup, opts);
    const strings = cosmosdb.listDatabaseAccountConnectionStringsOutput(lookup, opts);
    return {
        connection: host.apply((h) => ({
            host: h, endpoints: [`${h}:${CosmosLimits.port}`], port: CosmosLimits.port, tls: true, authMechanism: "SCRAM-SHA-256",
        })),
        credentials: pulumi.secret(pulumi.all([accountName, keys.primaryMasterKey, strings.connectionStrings]).apply(([user, key, list]) => ({
            username: user,
            password: key,
            connectionString: primaryConnectionString(list ?? []),
        }))),
    };
}

