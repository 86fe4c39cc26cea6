/**
 * Every policy of the pack, in report order. The pack entry point serves this
 * list; tests and the offline runner import it without starting a server.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { backupRetention, kafkaQuorum, mongoReplicaSet, redisFailover } from "./redundancy/dataStores";
import { deploymentHa, nodePoolZones } from "./redundancy/compute";
import { loadBalancerZones } from "./redundancy/loadBalancers";
import { natPerZone, networkZoneCount, subnetTiersPerZone } from "./redundancy/network";
import { encryptionAtRest, encryptionInTransit } from "./security/encryption";
import { dataStoreClients } from "./security/clients";
import { dataStoreIsolatedSubnets, dataStorePrivate } from "./security/exposure";
import { noWorldIngress } from "./security/ingress";
import { tlsListeners } from "./security/listeners";
import { containersNonRoot, imdsV2Required } from "./security/workloads";
import { prodDataLoss } from "./teardown/dataLoss";
import { bucketsForceDestroy, deletionProtection, finalSnapshotNames, softDeleteNameTraps } from "./teardown/teardown";
import { perStamp } from "./stamps";
import { stampSymmetry } from "./redundancy/stampSymmetry";
import { globalDataReplication } from "./redundancy/globalData";
import { entryHealth } from "./redundancy/globalEntry";

export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The pack's name, as the engine and the Pulumi Cloud know it. */
export const PACK_NAME = "intergalactic-policies";

/** A zone or network rule, judged once per regional stamp (see `stamps.ts`); other policies see the whole stack. */
const stamped = (policy: AnyPolicy): AnyPolicy => "validateStack" in policy ? perStamp(policy) : policy;

export const POLICIES: readonly AnyPolicy[] = [
    // Redundancy
    ...[networkZoneCount, subnetTiersPerZone, natPerZone, loadBalancerZones, kafkaQuorum, redisFailover, mongoReplicaSet, nodePoolZones].map(stamped),
    deploymentHa, backupRetention,
    // Regions: judged over the whole stack, stamp against stamp
    stampSymmetry, globalDataReplication, entryHealth,
    // Security
    encryptionAtRest, encryptionInTransit, noWorldIngress, ...[dataStorePrivate, dataStoreIsolatedSubnets, dataStoreClients].map(stamped),
    imdsV2Required, tlsListeners, containersNonRoot,
    // Teardown hygiene
    deletionProtection, finalSnapshotNames, bucketsForceDestroy, softDeleteNameTraps, prodDataLoss,
];
