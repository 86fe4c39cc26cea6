/**
 * What of a stack's data outlives a teardown, checked across sections once the
 * cloud is known: a setting that would report data as kept when the cloud keeps
 * none is an error naming the key, not a silent no-op.
 */
import { Cloud } from "../../components/common/cloud";
import { Problems, show } from "../../components/common/validation";
import type { StackConfig } from "./index";

const NAMESPACE = "intergalactic";

export function checkDataLifetime(config: StackConfig, problems: Problems): void {
    const key = (path: string) => `${NAMESPACE}:${path}`;
    const stores = [config.redis.enabled ? config.redis.name : undefined, config.mongo.enabled ? config.mongo.name : undefined].filter((n): n is string => n !== undefined);
    // Azure-only refusals (Azure Managed Redis snapshots and restores) are in keys.ts and stackRules.ts.
    if (config.cloud === Cloud.Azure) {
        for (const [name, value] of Object.entries(config.snapshots.encryptionKeys)) {
            problems.add(`${key(`snapshots.encryptionKeys.${name}`)}: ${show(value)} is only for aws: Azure data stores encrypt with service-managed keys`);
        }
        return;
    }
    for (const [name, value] of Object.entries(config.snapshots.encryptionKeys)) {
        problems.check(stores.includes(name), key(`snapshots.encryptionKeys.${name}`), value, `names no data store of this stack (${stores.join(", ") || "none"})`);
    }
}
